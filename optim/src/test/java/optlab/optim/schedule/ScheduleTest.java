package optlab.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedules against torch.optim.lr_scheduler traces (fixtures/make_schedules.py) and closed forms. */
class ScheduleTest {
    static Map<String, double[]> torch() throws IOException {
        Map<String, double[]> out = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/fixtures/torch_schedules.txt"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            double[] v = new double[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                v[i - 1] = Double.parseDouble(f[i]);
            }
            out.put(f[0], v);
        }
        return out;
    }

    static void assertTrace(String name, Schedule s, double[] want) {
        assertTrue(want.length >= 20, name);
        for (int t = 0; t < want.length; t++) {
            assertEquals(want[t], s.lr(t), 1e-12 * want[0], name + " at t=" + t);
        }
    }

    @Test
    void matchesTorchSchedulers() throws IOException {
        Map<String, double[]> torch = torch();
        assertTrace("step", new StepLR(0.1, 3, 0.5), torch.get("step"));
        // Includes t > T_max, where both follow the cosine back up.
        assertTrace("cosine", new CosineAnnealing(0.1, 10, 0.001), torch.get("cosine"));
        assertTrace("inverse_time", new InverseTime(0.1, 0.3), torch.get("inverse_time"));
        assertTrace("warmup_cosine", new LinearWarmup(new CosineAnnealing(0.2, 12, 0), 4, 0.25),
                torch.get("warmup_cosine"));
    }

    @Test
    void closedForms() {
        assertEquals(0.3, new Constant(0.3).lr(1_000_000));
        assertEquals(0.1 * 0.5 * 0.5, new StepLR(0.1, 3, 0.5).lr(8), 0); // ⌊8/3⌋ = 2 halvings
        CosineAnnealing c = new CosineAnnealing(1, 100, 0.1);
        assertEquals(1, c.lr(0), 1e-15);
        assertEquals(0.55, c.lr(50), 1e-15); // halfway: η_min + (1 − η_min)/2
        assertEquals(0.1, c.lr(100), 1e-15);
        assertEquals(0.1 / 3, new InverseTime(0.1, 0.5).lr(4), 1e-17); // 0.1/(1 + 2)
        LinearWarmup w = new LinearWarmup(new Constant(0.4), 10, 0.1);
        assertEquals(0.04, w.lr(0), 1e-16);
        assertEquals(0.4 * (0.1 + 0.9 * 0.5), w.lr(5), 1e-16);
        assertEquals(0.4, w.lr(10), 0);
        assertEquals(0.4, new LinearWarmup(new Constant(0.4), 0, 0.5).lr(0), 0); // no warm-up at all
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("StepLR: step_size must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new StepLR(0.1, 0, 0.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(new Constant(1), 5, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(new Constant(1), -1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new InverseTime(0.1, -1));
        assertEquals("CompoundInverse: steps_per_epoch must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new CompoundInverse(0.1, 0.01, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CompoundInverse(0.1, -0.01, 10));
    }

    /** α ← α/(1 + 0.01·e) after each epoch e, compounding; values worked out in double by hand. */
    @Test
    void compoundInverseDecaysPerEpoch() {
        CompoundInverse s = new CompoundInverse(0.01, 0.01, 600);
        assertEquals(0.01, s.lr(0), 0);
        assertEquals(0.01, s.lr(599), 0); // still epoch 1
        assertEquals(0.01 / 1.01, s.lr(600), 1e-18);
        assertEquals(0.01 / 1.01 / 1.02 / 1.03, s.lr(3 * 600 + 17), 1e-18);
        double product = 1;
        for (int e = 1; e <= 50; e++) {
            product *= 1 + 0.01 * e;
        }
        // After 50 epochs: α₀/61,219 (during epoch 50, after 49 decays: α₀/40,813).
        assertEquals(61219.4969, product, 1e-4);
        assertEquals(0.01 / product, s.lr(50 * 600), 1e-12 * s.lr(50 * 600));
        assertEquals(40813.0, 0.01 / s.lr(49 * 600), 1.0);
        assertEquals(0, new CompoundInverse(1, 0.01, 1).lr(100_000), 0); // underflows to 0, never NaN
    }
}
