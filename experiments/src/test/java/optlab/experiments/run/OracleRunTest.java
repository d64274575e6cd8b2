package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integrator rules in whole runs: the loop hands them an oracle on the step's batch, steps.csv counts gradient
 * evaluations, the loss column is the first stage's (the minibatch loss at w_t), and rk23's controller is logged by
 * the optimizer_state probe.
 */
class OracleRunTest {
    @TempDir
    Path tmp;

    private TrainerTest harness() {
        TrainerTest t = new TrainerTest();
        t.tmp = tmp;
        return t;
    }

    @Test
    void heunAndRk4CountTheirGradientsAndStartFromTheSameLoss() throws IOException {
        TrainerTest t = harness();
        TrainerTest.run(t.config("sgd", "{\"optimizer\": \"sgd:lr=0.1\", \"dtype\": \"f64\"}"));
        TrainerTest.run(t.config("heun", "{\"optimizer\": \"heun:lr=0.1\", \"dtype\": \"f64\"}"));
        TrainerTest.run(t.config("rk4", "{\"optimizer\": \"rk4:lr=0.1\", \"dtype\": \"f64\"}"));
        List<String> heun = TrainerTest.lines(tmp.resolve("heun/steps.csv"));
        assertEquals("step,loss,lr,seconds,grad_evals", heun.get(0));
        for (int k = 1; k < heun.size(); k++) {
            assertEquals(2L * k, Long.parseLong(heun.get(k).split(",")[4]), heun.get(k));
        }
        List<String> rk4 = TrainerTest.lines(tmp.resolve("rk4/steps.csv"));
        assertEquals(4L * (rk4.size() - 1), Long.parseLong(rk4.get(rk4.size() - 1).split(",")[4]));
        assertEquals("step,loss,lr,seconds", TrainerTest.lines(tmp.resolve("sgd/steps.csv")).get(0), "plain rules: no column");
        // Every integrator of the flow logs the column, one-evaluation rules too (compared at equal evaluations).
        TrainerTest.run(t.config("ab2", "{\"optimizer\": \"ab2:lr=0.1\", \"dtype\": \"f64\"}"));
        List<String> ab2 = TrainerTest.lines(tmp.resolve("ab2/steps.csv"));
        assertEquals("step,loss,lr,seconds,grad_evals", ab2.get(0));
        assertEquals(ab2.size() - 1L, Long.parseLong(ab2.get(ab2.size() - 1).split(",")[4]));
        // Same init and batch: the first loss (stage one, at w_0) is the same for every rule; then the paths part.
        List<String> sgdLoss = TrainerTest.losses(tmp.resolve("sgd")), heunLoss = TrainerTest.losses(tmp.resolve("heun"));
        assertEquals(sgdLoss.get(0), heunLoss.get(0));
        assertTrue(!sgdLoss.get(5).equals(heunLoss.get(5)));
    }

    @Test
    void rk23LogsItsControllerThroughTheOptimizerStateProbe() throws IOException {
        TrainerTest t = harness();
        TrainerTest.run(t.config("rk23", "{\"optimizer\": \"rk23:lr=0.5,tol=1e-4\", \"dtype\": \"f64\","
                + " \"probes\": [\"optimizer_state\"]}"));
        List<String> rows = TrainerTest.lines(tmp.resolve("rk23/optimizer_state.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        assertTrue(header.containsAll(List.of("step", "h", "accepted", "rejected")), rows.get(0));
        assertEquals(18, rows.size() - 1, "a row per update");
        String[] last = rows.get(rows.size() - 1).split(",");
        assertEquals(18.0, Double.parseDouble(last[header.indexOf("accepted")]), "every step ends accepted");
    }
}
