package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import optlab.models.zoo.Zoo;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on a small Gaussian mixture: files and headers, reproducibility, data order, divergence, weights I/O. */
class TrainerTest {
    static final String MIXTURE = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 96, \"test\": 64}";

    @TempDir
    Path tmp;

    /** A run of mlp:8-16-3 on the mixture writing into tmp/NAME; {@code extra} adds or replaces fields. */
    ObjectNode config(String name, String extra) {
        ObjectNode root = RunConfig.readTree("""
                {"name": "%s", "model": "mlp:8-16-3", "data": %s, "batch_size": 16,
                 "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}, "steps": 18, "seed": 1, "threads": 2,
                 "eval": {"every_steps": 6}, "out": "%s"}
                """.formatted(name, MIXTURE, tmp.resolve(name).toString().replace("\\", "\\\\")));
        root.setAll(RunConfig.readTree(extra));
        return root;
    }

    static RunResult run(ObjectNode config) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        return new Trainer(RunConfig.parse(config), quiet).run();
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    /** The loss column of steps.csv, as written. */
    static List<String> losses(Path dir) throws IOException {
        return lines(dir.resolve("steps.csv")).stream().skip(1).map(l -> l.split(",")[1]).toList();
    }

    static JsonNode summary(Path dir) throws IOException {
        return RunConfig.JSON.readTree(dir.resolve("summary.json").toFile());
    }

    @Test
    void tinyRunCompletesAndWritesTheThreeFiles() throws IOException {
        RunResult r = run(config("tiny", "{}"));
        Path dir = tmp.resolve("tiny");
        assertEquals(RunResult.Status.COMPLETED, r.status());
        List<String> steps = lines(dir.resolve("steps.csv"));
        assertEquals("step,loss,lr,seconds", steps.get(0));
        assertEquals(1 + 18, steps.size());
        for (int k = 0; k < 18; k++) {
            String[] cells = steps.get(k + 1).split(",");
            assertEquals(Integer.toString(k), cells[0]);
            assertEquals("0.1", cells[2]);
        }
        List<String> evals = lines(dir.resolve("evals.csv"));
        assertEquals("step,epoch,train_loss,train_acc,test_loss,test_acc,path_norm", evals.get(0)); // an MLP has paths
        assertEquals(List.of("0", "6", "12", "18"), evals.stream().skip(1).map(l -> l.split(",")[0]).toList());
        assertTrue(evals.get(2).startsWith("6,1.0000,"), evals.get(2)); // 96 samples / 16 = 6 steps per epoch
        JsonNode s = summary(dir);
        assertEquals("completed", s.get("status").asText());
        assertEquals("tiny", s.get("name").asText());
        assertFalse(s.has("diverged_at_step"));
        for (String key : List.of("jdk", "backend", "vector", "threads", "os", "cpu")) {
            assertTrue(s.get("environment").has(key), key);
        }
        assertEquals(2, s.get("environment").get("threads").asInt());
        assertEquals(RunConfig.parse(config("tiny", "{}")), RunConfig.parse(s.get("config")));
        assertTrue(s.get("wall_seconds").asDouble() > 0 && s.get("samples_per_second").asDouble() > 0);
        // It learned something: an easy mixture is nearly separable after three epochs.
        double first = Double.parseDouble(losses(dir).get(0));
        assertTrue(s.get("final").get("train_loss").asDouble() < 0.5 * first, s.toString());
        assertTrue(s.get("final").get("test_acc").asDouble() > 0.8, s.toString());
        assertEquals(r.test().accuracy(), s.get("final").get("test_acc").asDouble());
        // No new pool buffers after the first step and evaluation (96 samples = 6 full batches: no odd-sized batch).
        assertTrue(r.poolBytesAfterWarmup() > 0);
        assertEquals(r.poolBytesAfterWarmup(), r.poolBytesAtEnd());
        assertEquals(r.poolBytesAtEnd(), s.get("pool_bytes").get("at_end").asLong());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("evals.csv", "steps.csv", "summary.json"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void sameSeedSameLossesBitForBitAndAnotherSeedDiffers() throws IOException {
        run(config("a", "{}"));
        run(config("b", "{}"));
        run(config("c", "{\"seed\": 2}"));
        List<String> a = losses(tmp.resolve("a")), b = losses(tmp.resolve("b")), c = losses(tmp.resolve("c"));
        assertEquals(18, a.size());
        assertEquals(a, b);
        // Compare the bits, not just the text.
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(a.get(i))), Float.floatToRawIntBits(Float.parseFloat(b.get(i))));
        }
        assertNotEquals(a.get(0), c.get(0));
        assertNotEquals(a, c);
    }

    /**
     * With lr = 0 the weights never change, so step k's loss is the initial model's loss on batch k; without
     * shuffling that batch must be samples k·B .. (k+1)·B − 1 in file order, across the epoch boundary too.
     */
    @Test
    void noShuffleVisitsSamplesInFileOrder() throws IOException {
        ObjectNode cfg = config("order", "{\"shuffle\": false, \"optimizer\": \"sgd:lr=0\", \"steps\": 8}");
        run(cfg);
        List<String> logged = losses(tmp.resolve("order"));
        RunConfig c = RunConfig.parse(cfg);
        int batch = 16, perEpoch = 6;
        try (Backend cpu = Backends.cpu(2); Scope s = Scope.open();
             Model m = Zoo.build(c.model(), c.dtype(), c.initScheme(), c.seed())) {
            DataSpec.Loaded d = c.data().load(c.dtype(), s);
            for (int k = 0; k < 8; k++) {
                int from = (k % perEpoch) * batch;
                try (Graph g = Graph.noGrad(cpu, Scope.open())) {
                    Variable logits = m.forward(g, Variable.constant(d.train().features().slice(0, from, from + batch)));
                    float expected = (float) g.crossEntropy(logits, d.train().targets().slice(0, from, from + batch)).value().item();
                    assertEquals(Float.toString(expected), logged.get(k), "step " + k);
                }
            }
        }
        // Shuffled, the same lr = 0 run sees other batches.
        run(config("shuffled", "{\"optimizer\": \"sgd:lr=0\", \"steps\": 8}"));
        assertNotEquals(logged, losses(tmp.resolve("shuffled")));
    }

    @Test
    void hugeLearningRateDivergesAndKeepsTheFiles() throws IOException {
        RunResult r = run(config("boom", "{\"optimizer\": \"sgd:lr=1e30\", \"steps\": 50, \"check_every\": 0}"));
        Path dir = tmp.resolve("boom");
        assertEquals(RunResult.Status.DIVERGED, r.status());
        JsonNode s = summary(dir);
        assertEquals("diverged", s.get("status").asText());
        long at = s.get("diverged_at_step").asLong();
        assertEquals(r.divergedAtStep(), at);
        assertTrue(at > 0 && at < 50, "diverged at " + at);
        List<String> losses = losses(dir);
        // Rows up to the bad step are kept; the last one is that step's non-finite loss.
        assertEquals(at + 1, losses.size());
        float last = Float.parseFloat(losses.get((int) at));
        assertFalse(Float.isFinite(last), "loss " + last);
        for (int k = 0; k < at; k++) {
            assertTrue(Float.isFinite(Float.parseFloat(losses.get(k))), "step " + k);
        }
        assertEquals("step,epoch,train_loss,train_acc,test_loss,test_acc,path_norm", lines(dir.resolve("evals.csv")).get(0));
    }

    @Test
    void initFromLoadsExactlyTheSavedWeights() throws IOException {
        Path a = tmp.resolve("a.safetensors"), b = tmp.resolve("b.safetensors");
        run(config("save", "{\"save_to\": \"" + a.toString().replace("\\", "\\\\") + "\"}"));
        // Starting from a.safetensors and taking steps at lr = 0 must save the very same weights.
        run(config("load", "{\"optimizer\": \"sgd:lr=0\", \"steps\": 2, \"init\": {\"from\": \""
                + a.toString().replace("\\", "\\\\") + "\"}, \"save_to\": \"" + b.toString().replace("\\", "\\\\") + "\"}"));
        try (Scope s = Scope.open(); Model fresh = Zoo.build("mlp:8-16-3", optlab.tensor.DType.F32,
                optlab.models.init.InitScheme.PYTORCH, 1)) {
            Map<String, Tensor> saved = SafeTensors.read(a, s), loaded = SafeTensors.read(b, s);
            assertEquals(fresh.stateDict().keySet(), saved.keySet());
            boolean trained = false;
            for (String key : saved.keySet()) {
                assertArrayEquals(saved.get(key).toFloatArray(), loaded.get(key).toFloatArray(), key);
                trained |= !java.util.Arrays.equals(saved.get(key).toFloatArray(), fresh.stateDict().get(key).toFloatArray());
            }
            assertTrue(trained, "the saved weights should differ from the initial ones");
        }
        // The loaded run starts where the saved one ended: its first loss is that of trained weights.
        double loadedFirst = Double.parseDouble(losses(tmp.resolve("load")).get(0));
        double savedFirst = Double.parseDouble(losses(tmp.resolve("save")).get(0));
        assertTrue(loadedFirst < savedFirst, loadedFirst + " vs " + savedFirst);
    }

    @Test
    void nonFiniteParametersAreCaughtByTheScanBeforeAnyStep() throws IOException {
        Path bad = tmp.resolve("nan.safetensors");
        try (Model m = Zoo.build("mlp:8-16-3", optlab.tensor.DType.F32, optlab.models.init.InitScheme.PYTORCH, 1)) {
            m.stateDict().get("2.bias").setFlat(1, Double.POSITIVE_INFINITY);
            SafeTensors.write(bad, m.stateDict());
        }
        RunResult r = run(config("nan", "{\"init\": {\"from\": \"" + bad.toString().replace("\\", "\\\\") + "\"}}"));
        assertEquals(RunResult.Status.DIVERGED, r.status());
        assertEquals(0, r.divergedAtStep());
        assertEquals(0, summary(tmp.resolve("nan")).get("diverged_at_step").asLong());
        assertEquals(List.of("step,loss,lr,seconds"), lines(tmp.resolve("nan").resolve("steps.csv")));
    }

    @Test
    void epochsWithAPartialLastBatch() throws IOException {
        // 100 samples in batches of 16: six full batches and one of 4 per epoch.
        RunResult r = run(config("partial", "{\"data\": {\"source\": \"gaussian-mixture\", \"train\": 100, \"test\": 20},"
                + " \"steps\": null, \"epochs\": 2, \"eval\": {}}"));
        assertEquals(14, r.stepsDone());
        Path dir = tmp.resolve("partial");
        assertEquals(1 + 14, lines(dir.resolve("steps.csv")).size());
        assertEquals(List.of("0,0.0000", "7,1.0000", "14,2.0000"),
                lines(dir.resolve("evals.csv")).stream().skip(1).map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1))).toList());
        assertTrue(r.train().computed() && r.test().computed());
    }

    @Test
    void cosineScheduleFillsTheLrColumn() throws IOException {
        RunResult r = run(config("cos", "{\"schedule\": {\"name\": \"cosine\", \"eta_min\": 0.01},"
                + " \"eval\": {\"every_steps\": 5, \"at_start\": false}}"));
        // Evaluations first run after step 4 here; from then on the pool must not grow.
        assertEquals(r.poolBytesAfterWarmup(), r.poolBytesAtEnd());
        List<String> rows = lines(tmp.resolve("cos").resolve("steps.csv"));
        for (int k = 0; k < 18; k++) {
            double lr = Double.parseDouble(rows.get(k + 1).split(",")[2]);
            double expected = 0.01 + (0.1 - 0.01) * (1 + Math.cos(Math.PI * k / 18)) / 2; // t_max = the run's 18 steps
            assertEquals(expected, lr, 1e-15, "step " + k);
        }
    }

    /**
     * A μP run at γ0 = 1e-3 from the config alone: dtype auto picks float64, the centered output is zero at
     * initialization (first MSE = 1/C exactly), training lowers the loss, and the summary's config reads back.
     */
    @Test
    void mupRunWithAutomaticFloat64() throws IOException {
        double lr = optlab.models.param.Parameterization.mup(1e-3).learningRate(0.5e-6, 16); // N·η0, η0 = γ0²/2
        ObjectNode cfg = config("mup", "{\"parameterization\": \"mup:gamma0=0.001\", \"dtype\": \"auto\","
                + " \"loss\": \"mse\", \"model\": \"mlp:8-16-16-3\", \"optimizer\": \"sgd:lr=" + lr + "\"}");
        RunResult r = run(cfg);
        assertEquals(RunResult.Status.COMPLETED, r.status());
        Path dir = tmp.resolve("mup");
        JsonNode s = summary(dir);
        assertEquals("f64", s.get("config").get("dtype").asText());
        assertEquals("mup:gamma0=0.001", s.get("config").get("parameterization").asText());
        assertEquals(RunConfig.parse(cfg), RunConfig.parse(s.get("config")));
        List<String> losses = losses(dir);
        assertEquals(1.0 / 3, Double.parseDouble(losses.get(0)), 1e-15);
        assertTrue(s.get("final").get("train_loss").asDouble() < 0.8 / 3, losses + " " + s);
        assertEquals(r.poolBytesAfterWarmup(), r.poolBytesAtEnd());
    }

    /** MSE on one-hot targets averages over all B·C elements, like F.mse_loss(logits, one_hot(y)). */
    @Test
    void mseLossOnOneHotTargets() throws IOException {
        ObjectNode cfg = config("mse", "{\"loss\": \"mse\", \"shuffle\": false, \"optimizer\": \"sgd:lr=0\", \"steps\": 1,"
                + " \"dtype\": \"f64\"}");
        RunResult r = run(cfg);
        RunConfig c = RunConfig.parse(cfg);
        double logged = Double.parseDouble(losses(tmp.resolve("mse")).get(0));
        try (Backend ref = Backends.reference(); Scope s = Scope.open();
             Model m = Zoo.build(c.model(), c.dtype(), c.initScheme(), c.seed())) {
            DataSpec.Loaded d = c.data().load(c.dtype(), s);
            try (Graph g = Graph.noGrad(ref, s)) {
                Tensor logits = m.forward(g, Variable.constant(d.train().features().slice(0, 0, 16))).value();
                double sum = 0;
                for (int i = 0; i < 16; i++) {
                    for (int j = 0; j < 3; j++) {
                        double t = d.train().targets().getFlat(i) == j ? 1 : 0;
                        double e = logits.get(i, j) - t;
                        sum += e * e;
                    }
                }
                assertEquals(sum / 48, logged, 1e-12 * Math.abs(logged));
            }
        }
        assertEquals(RunResult.Status.COMPLETED, r.status());
        assertTrue(r.test().loss() < 1, "MSE of one-hot targets starts near 1/3 per element: " + r.test().loss());
    }

    @Test
    void modelAndDataThatDoNotFitFailWithAClearMessage() throws IOException {
        for (String model : new String[] {"mlp:9-16-3", "mlp:8-16-4"}) {
            ObjectNode cfg = config("misfit", "{\"model\": \"" + model + "\"}");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> run(cfg));
            assertTrue(e.getMessage().contains(model) && e.getMessage().contains(model.startsWith("mlp:9") ? "8 features" : "3 classes"),
                    e.getMessage());
            assertEquals("failed", summary(tmp.resolve("misfit")).get("status").asText());
        }
    }
}
