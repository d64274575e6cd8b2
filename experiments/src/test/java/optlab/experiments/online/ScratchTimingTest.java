package optlab.experiments.online;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchTimingTest {
    @Test
    void timing() throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (String[] v : new String[][] {{"1", "0.1"}, {"0.001", "1e-6"}, {"1000", "10"}, {"1", "1e3"}}) {
            for (String model : new String[] {"mlp:32-128-128-1", "mlp:32-256-256-1"}) {
                ObjectNode c = (ObjectNode) m.readTree("""
                    {"model": "%s", "gamma0": %s, "eta0": %s,
                     "data": {"source": "teacher-student", "dim": 32, "hidden": 32, "test": 2000},
                     "batch_size": 64, "steps": 2000, "seed": 0, "out": "/tmp/scratch/%s_%s_%s"}
                    """.formatted(model, v[0], v[1], model.replace(":", "_"), v[0], v[1]));
                OnlineResult r = new OnlineRun(OnlineConfig.parse(c)).run();
                System.out.printf("%s g=%s e=%s: %s at %d, %.2f s, final test %.4g best %.4g last train %.4g dtype %s%n", model, v[0], v[1],
                        r.status(), r.divergedAt(), r.wallSeconds(), r.finalTestLoss(), r.bestTestLoss(), r.lastTrainLoss(), r.dtype());
            }
        }
    }
}
