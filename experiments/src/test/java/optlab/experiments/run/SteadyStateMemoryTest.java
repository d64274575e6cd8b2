package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optlab.experiments.loop.Evaluation;
import optlab.experiments.loop.Probe;
import optlab.experiments.loop.StepView;
import optlab.tensor.OffHeap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After warm-up (one epoch, so every batch size, the partial last one included, has been seen) no training step
 * allocates off-heap memory: {@link OffHeap#allocatedBytes()} (plain scopes, buffer pools and the kernel workspace)
 * is the same after every later step as before it. Covered: an MLP with dropout under Adam, a ResNet (convolutions
 * through the workspace, batch norm) under SGD with momentum, Heun (gradient oracle) and Path-SGD (path structure,
 * scratch buffers). Evaluations after the first two allocate nothing either.
 */
class SteadyStateMemoryTest {
    @TempDir
    Path tmp;

    /** Off-heap bytes allocated by each step (after its evaluation, if any) and by each evaluation. */
    static final class Allocations implements Probe {
        final List<long[]> steps = new ArrayList<>(), evals = new ArrayList<>();
        long mark = -1;

        @Override
        public String name() {
            return "allocations";
        }

        /** Bytes allocated since the last call (-1 at the first). */
        private long since() {
            long now = OffHeap.allocatedBytes(), d = mark < 0 ? -1 : now - mark;
            mark = now;
            return d;
        }

        @Override
        public void beforeEvaluation(StepView s) {
            long d = since();
            if (d >= 0) {
                steps.add(new long[] {-1, d}); // between the last step and this evaluation: nothing
            }
        }

        @Override
        public void atEvaluation(Evaluation e) {
            long d = since();
            if (d >= 0) {
                evals.add(new long[] {e.step(), d});
            }
        }

        @Override
        public void afterUpdate(StepView s) {
            long d = since();
            if (d >= 0) {
                steps.add(new long[] {s.step(), d});
            }
        }
    }

    void steady(String name, String extra, long warmup) throws IOException {
        ObjectNode c = RunConfig.readTree("""
                {"model": "mlp:8-32-32-3,dropout=0.2", "batch_size": 16, "steps": 60, "seed": 3, "threads": 2,
                 "data": {"source": "gaussian-mixture", "classes": 3, "dim": 8, "train": 100, "test": 40},
                 "optimizer": "adam:lr=0.01", "eval": {"every_steps": 10, "train_samples": 40}}
                """);
        c.setAll(RunConfig.readTree(extra));
        c.put("out", tmp.resolve(name).toString());
        Allocations a = new Allocations();
        RunResult r = new Trainer(RunConfig.parse(c), new PrintStream(new ByteArrayOutputStream()), List.of(a)).run();
        assertEquals(RunResult.Status.COMPLETED, r.status(), name);
        long first = -1;
        for (long[] s : a.steps) {
            if (s[0] >= warmup || (s[0] < 0 && first >= 0)) {
                assertEquals(0, s[1], name + ": step " + s[0] + " allocated " + s[1] + " off-heap bytes after warm-up");
            }
            if (s[0] >= warmup && first < 0) {
                first = s[0];
            }
        }
        assertTrue(first >= 0 && a.steps.size() > 25, name + ": steps seen " + a.steps.size());
        // The counter sees the warm-up: the first step leases its buffers.
        assertTrue(a.steps.get(0)[0] == 0 && a.steps.get(0)[1] > 0, name + ": the first step allocated " + a.steps.get(0)[1]);
        for (int i = 2; i < a.evals.size(); i++) {
            assertEquals(0, a.evals.get(i)[1], name + ": the evaluation at step " + a.evals.get(i)[0] + " allocated "
                    + a.evals.get(i)[1] + " off-heap bytes");
        }
    }

    @Test
    void mlpWithDropoutUnderAdam() throws IOException {
        steady("adam", "{}", 7); // 100 samples in batches of 16: 7 batches, the last of 4
    }

    @Test
    void resnetUnderSgdWithMomentum() throws IOException {
        Path data = JitDeterminismTestAccess.idxFolder(tmp);
        steady("resnet", """
                {"model": "resnet:blocks=1,width=4,in=1", "data": "mnist:%s", "batch_size": 20,
                 "optimizer": "sgd:lr=0.05,momentum=0.9", "steps": 30, "eval": {"every_steps": 5, "train_samples": 16}}
                """.formatted(data.toString().replace("\\", "\\\\")), 3);
    }

    @Test
    void heunAndPathSgd() throws IOException {
        steady("heun", "{\"optimizer\": \"heun:lr=0.05\"}", 7);
        steady("path-sgd", "{\"optimizer\": \"path-sgd:lr=0.01\"}", 7);
    }
}
