package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend cuda} on the commands that train many runs: a recipe whose rules or jobs the device cannot run is
 * refused whole with one sentence before any run starts, and a grid sweep runs its points on the device (through the
 * gcc-built CUDA stand-in) with the same losses as on the CPU.
 */
class SweepCudaCommandTest {
    @TempDir
    Path tmp;


    private static void oneSentence(CliRun.Result r, String expected) {
        String err = r.err().strip();
        assertEquals(2, r.rc(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(expected), err);
        assertFalse(err.contains("\tat "), err);
    }

    @Test
    void recipesTheDeviceCannotRunAreRefusedWhole() {
        oneSentence(CliRun.run("run", "path-geometry", "--backend", "cuda", "--out", tmp.resolve("p").toString()),
                "--backend cuda does not run geometry runs");
        oneSentence(CliRun.run("run", "path-sgd", "--backend", "tpu", "--out", tmp.resolve("q").toString()),
                "--backend must be cpu or cuda");
        assertFalse(Files.exists(tmp.resolve("p/runs")) && tmp.resolve("p/runs").toFile().list().length > 0,
                "no run started");
    }

    @Test
    void aRecipeWhoseRulesTheDeviceRunsGoesThere() throws Exception {
        CudaStandInLibrary.installWithFashionMnist();
        CliRun.Result r = CliRun.run("run", "path-sgd", "--backend", "cuda", "--alphas", "1", "--hidden", "8",
                "--epochs", "1", "--validation", "200", "--train-eval", "200", "--data",
                "{\"source\": \"fashion-mnist\", \"train\": 1000, \"test\": 200}", "--out", tmp.resolve("ps").toString());
        assertEquals(0, r.rc(), r.out() + r.err());
        List<Path> runs = Files.walk(tmp.resolve("ps/runs")).filter(p -> p.endsWith("summary.json")).toList();
        assertEquals(6, runs.size(), runs.toString()); // path-sgd, sgd, adagrad x 2 inits x 1 alpha
        ObjectMapper json = new ObjectMapper();
        for (Path summary : runs) {
            var node = json.readTree(summary.toFile());
            assertEquals("cuda", node.at("/config/backend").asText(), summary.toString());
            assertEquals("completed", node.path("status").asText(), summary.toString());
        }
    }

    @Test
    void theDistanceNetsRecipeRunsOnTheDevice() throws Exception {
        CudaStandInLibrary.installWithFashionMnist();
        CliRun.Result r = CliRun.run("run", "distance-nets", "--backend", "cuda", "--archs", "distance,relu", "--methods", "adam",
                "--lrs", "0.01", "--depths", "1", "--width", "8", "--epochs", "1", "--train", "600", "--validation", "100",
                "--train-eval", "100", "--out", tmp.resolve("dn").toString());
        assertEquals(0, r.rc(), r.out() + r.err());
        ObjectMapper json = new ObjectMapper();
        List<Path> runs = Files.walk(tmp.resolve("dn/runs")).filter(p -> p.endsWith("summary.json")).toList();
        assertFalse(runs.isEmpty());
        for (Path summary : runs) {
            assertEquals("cuda", json.readTree(summary.toFile()).at("/config/backend").asText(), summary.toString());
            assertTrue(Files.exists(summary.resolveSibling("grad_norms.csv")), "grad_norms runs on the device too");
        }
    }

    @Test
    void aGridRunsOnTheDeviceLikeOnTheCpu() throws Exception {
        Path config = tmp.resolve("base.json");
        Files.writeString(config, "{\"model\": \"mlp:8-16-3\", \"optimizer\": \"adam:lr=0.01\", \"batch_size\": 16,"
                + " \"steps\": 8, \"data\": {\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 96,"
                + " \"test\": 48}}");
        CliRun.Result cpu = CliRun.run("sweep", "grid", config.toString(), "--vary", "seed=0,1", "--out", tmp.resolve("cpu").toString(),
                "--workers", "1");
        assertEquals(0, cpu.rc(), cpu.err());
        CudaStandInLibrary.install();
        CliRun.Result cuda = CliRun.run("sweep", "grid", config.toString(), "--vary", "seed=0,1", "--out", tmp.resolve("cuda").toString(),
                "--backend", "cuda");
        assertEquals(0, cuda.rc(), cuda.err());
        ObjectMapper json = new ObjectMapper();
        List<Path> runs = Files.walk(tmp.resolve("cuda")).filter(p -> p.endsWith("summary.json")
                && Files.exists(p.resolveSibling("steps.csv"))).toList();
        assertEquals(2, runs.size(), "one run per seed: " + runs);
        for (Path summary : runs) {
            assertEquals("cuda", json.readTree(summary.toFile()).at("/config/backend").asText(), summary.toString());
            Path twin = tmp.resolve("cpu").resolve(tmp.resolve("cuda").relativize(summary));
            List<String> a = Files.readAllLines(twin.resolveSibling("steps.csv"));
            List<String> b = Files.readAllLines(summary.resolveSibling("steps.csv"));
            assertEquals(a.size(), b.size());
            for (int i = 1; i < a.size(); i++) {
                double x = Double.parseDouble(a.get(i).split(",")[1]), y = Double.parseDouble(b.get(i).split(",")[1]);
                assertEquals(x, y, 1e-4 * Math.abs(x), summary + " step " + i); // GEMM rounding; see TrainCudaCommandTest
            }
        }
    }

}
