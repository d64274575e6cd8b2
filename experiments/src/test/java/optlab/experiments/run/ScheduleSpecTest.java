package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import optlab.optim.schedule.CompoundInverse;
import optlab.optim.schedule.Schedule;
import org.junit.jupiter.api.Test;

/** The compound_inverse schedule (Kurbiel and Khaleghian's per-epoch decay) as a run config names it. */
class ScheduleSpecTest {

    private static ScheduleSpec parse(String json) {
        return ScheduleSpec.parse(RunConfig.readTree(json), "schedule");
    }

    @Test
    void compoundInverseParsesBuildsAndReadsBack() {
        ScheduleSpec s = parse("{\"name\": \"compound_inverse\", \"steps_per_epoch\": 600}");
        Schedule lr = s.build(0.01, 30_000);
        assertEquals(new CompoundInverse(0.01, 0.01, 600), lr);
        assertEquals(0.01 / 1.01 / 1.02, lr.lr(2 * 600), 1e-18);
        assertEquals(s, ScheduleSpec.parse(s.toJson(), "schedule"));
        ScheduleSpec d = parse("{\"name\": \"compound_inverse\", \"steps_per_epoch\": 5, \"decay\": 0.02}");
        assertEquals(new CompoundInverse(0.1, 0.02, 5), d.build(0.1, 100));
    }

    @Test
    void compoundInverseNeedsTheEpochLength() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("{\"name\": \"compound_inverse\"}"));
        assertEquals("schedule.steps_per_epoch", e.path());
        e = assertThrows(ConfigException.class, () -> parse("{\"name\": \"compound_inverse\", \"steps_per_epoch\": 5,"
                + " \"step_size\": 3}"));
        assertEquals("schedule.step_size", e.path());
    }
}
