package optlab.experiments.gammaeta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.data.Sources;
import optlab.experiments.online.OnlineResult;
import optlab.experiments.online.OnlineRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code paper} preset, shrunk (width 4, a few steps, a small test set), run for every architecture through
 * the sweep's own path: preset, spec, run config, OnlineRun. Skipped where Fashion-MNIST is not installed.
 */
class PaperPresetTest {
    @TempDir
    Path tmp;

    @Test
    void presetFollowsTheIssue() {
        for (String arch : Presets.ARCHS) {
            Settings spec = Settings.parse(Presets.of("paper", arch, 4));
            assertEquals(-5, spec.gammaGrid().log10(spec.gammaFrom()), 1e-12, arch);
            assertEquals(5, spec.gammaGrid().log10(spec.gammaTo()), 1e-12, arch);
            assertEquals(2, spec.gammaGrid().perDecade());
            assertEquals(2, spec.etaGrid().perDecade());
            assertEquals(3, spec.decadesBelow());
            assertEquals(20_000, spec.run().path("steps").asLong());
            assertEquals("mup", spec.run().path("parameterization").asText());
        }
        // The L of the 2/L law: the MLP 784-N-N-10 has 3 weight layers, the paper's CNN 4 (conv, conv, fc, readout).
        assertEquals(3, Report.depth(Presets.of("paper", "mlp", 4).path("run").path("model").asText()));
        assertEquals(4, Report.depth(Presets.of("paper", "cnn", 4).path("run").path("model").asText()));
        assertEquals(0, Report.depth(Presets.of("paper", "vit", 4).path("run").path("model").asText()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "resnet", "vit"})
    void shrunkPaperRunsAtSmallAndLargeGamma(String arch) throws IOException {
        assumeTrue(Files.isDirectory(Path.of(Sources.FASHION_MNIST_DIR)), "dataset-fashion-mnist is not installed");
        ObjectNode json = Presets.of("paper", arch, 4);
        ObjectNode run = (ObjectNode) json.get("run");
        run.put("steps", 3);
        run.put("batch_size", 4);
        run.put("hessian_iterations", 2);
        run.putObject("data").put("source", "fashion-mnist").put("test", 16);
        Settings spec = Settings.parse(json);
        int ke = spec.etaGrid().index(-3);
        for (double log10g : new double[] {-3, 1}) { // 1e-3 < 1e-2 runs in double, 10 in float
            int kg = spec.gammaGrid().index(log10g);
            Path folder = ChainJob.runFolder(spec, tmp, kg, ke);
            OnlineResult r = new OnlineRun(spec.config(kg, ke, folder)).run();
            String what = arch + " gamma0=1e" + log10g;
            assertEquals(OnlineResult.Status.COMPLETED, r.status(), what);
            assertFalse(r.diverged(), what);
            assertEquals(3, r.stepsDone(), what);
            assertEquals(log10g < -2 ? "f64" : "f32", r.dtype(), what);
            for (String loss : column(folder.resolve("steps.csv"), 1)) {
                assertTrue(Double.isFinite(Double.parseDouble(loss)), what + ": train loss " + loss);
            }
            List<String> test = column(folder.resolve("evals.csv"), 2);
            for (String loss : test) {
                assertTrue(Double.isFinite(Double.parseDouble(loss)), what + ": test loss " + loss);
            }
            // Centered output: f = 0 at step 0, so the MSE against one-hot targets over 10 classes is 1/10.
            assertEquals(0.1, Double.parseDouble(test.getFirst()), 1e-6, what + ": test loss at step 0");
        }
    }

    static List<String> column(Path file, int col) throws IOException {
        return Files.readAllLines(file).stream().skip(1).map(l -> l.split(",", -1)[col]).toList();
    }
}
