package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optlab.experiments.run.Checkpoint;
import optlab.experiments.run.CrashProbe;
import optlab.experiments.run.RunConfig;
import optlab.experiments.run.RunFolder;
import optlab.experiments.run.RunResult;
import optlab.experiments.run.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint and resume on the device (through the CUDA stand-in): a run with Adam (or ab3, rk23), a cosine schedule,
 * dropout and a partial last batch, killed after its last checkpoint and resumed, writes the uninterrupted device
 * run's losses bit for bit. The checkpoint is written from host copies of the device's weights and optimizer state, and the resumed
 * run loads them and moves them back to the device.
 */
class ResumeCudaTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path tmp;

    ObjectNode config(Path out, long checkpointEvery, String optimizer) {
        return RunConfig.readTree("""
                {"model": "mlp:8-32-32-3,dropout=0.2", "batch_size": 16, "optimizer": "%s",
                 "data": {"source": "gaussian-mixture", "classes": 3, "dim": 8, "train": 250, "test": 64},
                 "schedule": "cosine", "steps": 60, "seed": 7, "threads": 1, "checkpoint_every": %d, "backend": "cuda",
                 "eval": {"every_steps": 20, "train_samples": 64}, "out": "%s"}
                """.formatted(optimizer, checkpointEvery, out.toString().replace("\\", "\\\\")));
    }

    /**
     * Adam, and two integrators whose state the checkpoint must carry from the device: ab3's past gradients and
     * momentum (saved buffers) and rk23's carried step and counters (saved scalars), its oracle on dropout masks.
     */
    @ParameterizedTest
    @ValueSource(strings = {"adam:lr=0.01,weight_decay=0.01", "ab3:lr=0.05,momentum=0.9,weight_decay=0.01",
        "rk23:lr=0.2,rtol=1e-2"})
    void aDeviceRunThatDiedResumesToTheUninterruptedLosses(String optimizer) throws Exception {
        CudaStandInLibrary.install();
        Path ref = tmp.resolve("ref"), dir = tmp.resolve("resumed");
        new Trainer(RunConfig.parse(config(ref, 0, optimizer)), QUIET).run();
        RunConfig c = RunConfig.parse(config(dir, 32, optimizer));
        assertThrows(IllegalStateException.class, () -> new Trainer(c, QUIET, List.of(CrashProbe.after(41))).run());
        assertEquals(32, Checkpoint.read(dir).position().step());
        RunResult r = new Trainer(c, QUIET).resume();
        assertEquals(RunResult.Status.COMPLETED, r.status());
        assertEquals(losses(ref), losses(dir));
    }


    /** steps.csv without the seconds columns, then evals.csv. */
    static List<String> losses(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(RunFolder.STEPS))) {
            String[] c = line.split(",", -1);
            out.add(c[0] + "," + c[1] + "," + c[2]);
        }
        out.add("--");
        out.addAll(Files.readAllLines(dir.resolve(RunFolder.EVALS)));
        return out;
    }
}
