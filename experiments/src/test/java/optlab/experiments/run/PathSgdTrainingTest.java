package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import optlab.models.Model;
import optlab.models.io.SafeTensors;
import optlab.models.path.PathNetworks;
import optlab.models.zoo.Zoo;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path-SGD through the run stack: the optimizer's state, the unbalanced init, the path-norm metric, refusals. */
class PathSgdTrainingTest {
    @TempDir
    Path tmp;

    static final String MIXTURE = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 6, \"train\": 64, \"test\": 32}";

    ObjectNode config(String name, String model, String optimizer, String init, String extra) {
        ObjectNode root = RunConfig.readTree("""
                {"name": "%s", "model": "%s", "data": %s, "batch_size": 16, "optimizer": "%s", "init": %s,
                 "steps": 12, "seed": 5, "threads": 1, "eval": {"every_steps": 4}, "out": "%s"}
                """.formatted(name, model, MIXTURE, optimizer, init, tmp.resolve(name).toString().replace("\\", "\\\\")));
        root.setAll(RunConfig.readTree(extra));
        return root;
    }

    static RunResult run(ObjectNode config) throws IOException {
        return new Trainer(RunConfig.parse(config), new PrintStream(new ByteArrayOutputStream())).run();
    }

    static double[] losses(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("steps.csv")).stream().skip(1)
                .mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    }

    static double maxRelDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1e-300, Math.abs(a[i])));
        }
        return m;
    }

    @Test
    void pathSgdTrainsAndLogsThePathNormOfItsWeights() throws IOException {
        Path w = tmp.resolve("w.safetensors");
        RunResult r = run(config("p", "mlp:6-10-10-3", "path-sgd:lr=0.01", "\"gaussian\"",
                "{\"save_to\": \"" + w.toString().replace("\\", "\\\\") + "\"}"));
        assertEquals(RunResult.Status.COMPLETED, r.status());
        List<String> evals = Files.readAllLines(tmp.resolve("p/evals.csv"));
        double initialTrainLoss = Double.parseDouble(evals.get(1).split(",")[2]);
        assertTrue(r.train().loss() < 0.9 * initialTrainLoss, r.train() + " vs " + initialTrainLoss);
        assertTrue(evals.get(0).endsWith(",path_norm"), evals.get(0));
        JsonNode s = RunConfig.JSON.readTree(tmp.resolve("p/summary.json").toFile());
        double logged = s.path("final").path("path_norm").asDouble();
        assertEquals(r.pathNorm(), logged);
        // The logged value is φ_2 of the final weights.
        try (Scope scope = Scope.open(); Model m = Zoo.build("mlp:6-10-10-3", DType.F32, optlab.models.init.InitScheme.GAUSSIAN, 0)) {
            Map<String, Tensor> saved = SafeTensors.read(w, scope);
            m.loadStateDict(saved);
            assertEquals(PathNetworks.of(m).pathNorm(m.parameters(), 2), logged, 1e-9 * logged);
        }
        // The norm changes while training: the column is live, not a constant.
        double first = Double.parseDouble(evals.get(1).split(",")[6]);
        assertTrue(Math.abs(first - logged) > 1e-6 * logged, first + " vs " + logged);
    }

    /**
     * The paper's point, through configs: an unbalanced init computes the same function as the balanced one (same
     * losses at lr = 0), Path-SGD then follows the same function trajectory from both, SGD does not.
     */
    @Test
    void unbalancedInitKeepsTheFunctionAndOnlyPathSgdIgnoresIt() throws IOException {
        String f64 = "{\"dtype\": \"f64\"}";
        String unbalanced = "{\"scheme\": \"gaussian\", \"unbalanced\": {\"units\": 6, \"sigma\": 1.5}}";
        String mlp = "mlp:6-12-12-3";
        String save = "{\"dtype\": \"f64\", \"save_to\": \"%s\"}";
        Path wb = tmp.resolve("b0.safetensors"), wu = tmp.resolve("u0.safetensors");
        RunResult b0 = run(config("b0", mlp, "sgd:lr=0", "\"gaussian\"", save.formatted(wb.toString().replace("\\", "\\\\"))));
        RunResult u0 = run(config("u0", mlp, "sgd:lr=0", unbalanced, save.formatted(wu.toString().replace("\\", "\\\\"))));
        assertTrue(maxRelDiff(losses(tmp.resolve("b0")), losses(tmp.resolve("u0"))) < 1e-12);
        // Other weights (the first layer's rows were rescaled), the same path norm: φ is invariant to rescaling.
        try (Scope scope = Scope.open()) {
            double[] a = SafeTensors.read(wb, scope).get("0.weight").toDoubleArray();
            double[] b = SafeTensors.read(wu, scope).get("0.weight").toDoubleArray();
            assertTrue(maxRelDiff(a, b) > 0.1, "the rescaling changed the weights");
        }
        assertEquals(b0.pathNorm(), u0.pathNorm(), 1e-12 * b0.pathNorm());

        run(config("bp", mlp, "path-sgd:lr=0.05", "\"gaussian\"", f64));
        run(config("up", mlp, "path-sgd:lr=0.05", unbalanced, f64));
        double path = maxRelDiff(losses(tmp.resolve("bp")), losses(tmp.resolve("up")));
        run(config("bs", mlp, "sgd:lr=0.05", "\"gaussian\"", f64));
        run(config("us", mlp, "sgd:lr=0.05", unbalanced, f64));
        double sgd = maxRelDiff(losses(tmp.resolve("bs")), losses(tmp.resolve("us")));
        assertTrue(path < 1e-9, "Path-SGD from the two inits: " + path);
        assertTrue(sgd > 1e-4, "SGD from the two inits: " + sgd);
    }

    @Test
    void modelsWithoutPathsAreRefusedForPathSgdAndUnbalancingAndLogNoPathNorm() throws IOException {
        String tanh = "mlp:6-10-3,act=tanh";
        ConfigException e = assertThrows(ConfigException.class, () -> run(config("t1", tanh, "path-sgd:lr=0.01", "\"gaussian\"", "{}")));
        assertEquals("optimizer", e.path());
        assertTrue(e.getMessage().contains(tanh), e.getMessage());
        assertEquals("failed", RunConfig.JSON.readTree(tmp.resolve("t1/summary.json").toFile()).path("status").asText());
        e = assertThrows(ConfigException.class, () -> run(config("t2", tanh, "sgd:lr=0.01", "\"unbalanced\"", "{}")));
        assertEquals("init.unbalanced", e.path());
        RunResult r = run(config("t3", tanh, "sgd:lr=0.01", "\"gaussian\"", "{}"));
        assertTrue(Double.isNaN(r.pathNorm()));
        assertFalse(Files.readAllLines(tmp.resolve("t3/evals.csv")).get(0).contains("path_norm"));
        assertFalse(RunConfig.JSON.readTree(tmp.resolve("t3/summary.json").toFile()).path("final").has("path_norm"));
    }

    /** Big-endian IDX: magic (0, 0, 0x08 = unsigned byte, rank), dims, data. */
    static void idx(Path file, byte[] data, int... dims) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        Files.write(file, b.array());
    }

    /** A conv net trains with Path-SGD from an unbalanced init: the structure comes from the data's image shape. */
    @Test
    void convNetWithPathSgdAndUnbalancedInit() throws IOException {
        Path data = tmp.resolve("imgs");
        Files.createDirectories(data);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (String part : new String[] {"train", "t10k"}) {
            int n = part.equals("train") ? 48 : 16;
            byte[] px = new byte[n * 64], labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 3);
                for (int j = 0; j < 64; j++) { // class c lights up rows 2c..2c+2
                    px[i * 64 + j] = (byte) ((j / 8) / 2 == i % 3 ? 200 + rng.nextInt(50) : rng.nextInt(60));
                }
            }
            idx(data.resolve(part + "-images-idx3-ubyte"), px, n, 8, 8);
            idx(data.resolve(part + "-labels-idx1-ubyte"), labels, n);
        }
        ObjectNode c = config("cnn", "cnn:in=1x8x8,conv=4,fc=8", "path-sgd:lr=0.01", "\"unbalanced\"", "{}");
        c.put("data", data.toString());
        RunResult r = run(c);
        assertEquals(RunResult.Status.COMPLETED, r.status());
        assertTrue(Double.isFinite(r.pathNorm()) && r.pathNorm() > 0, "path norm " + r.pathNorm());
        assertTrue(Files.readAllLines(tmp.resolve("cnn/evals.csv")).get(0).endsWith(",path_norm"));
    }

    @Test
    void pathSgdOptimizerInObjectForm() {
        RunConfig c = RunConfig.parse(config("o", "mlp:6-10-3", "x", "\"gaussian\"",
                "{\"optimizer\": {\"name\": \"path-sgd\", \"lr\": 0.02, \"p\": 1}}"));
        assertEquals(new optlab.optim.PathSGD(0.02, 1), c.optimizer());
        assertEquals(c, RunConfig.parse(c.toJson()));
        assertEquals("optimizer.p", assertThrows(ConfigException.class, () -> RunConfig.parse(config("o", "mlp:6-10-3", "x",
                "\"gaussian\"", "{\"optimizer\": {\"name\": \"path-sgd\", \"lr\": 0.02, \"p\": -1}}"))).path());
    }
}
