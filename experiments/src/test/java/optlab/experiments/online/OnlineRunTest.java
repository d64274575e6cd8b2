package optlab.experiments.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.run.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole online runs on a small teacher–student stream: files, determinism, divergence, the evaluation grid. */
class OnlineRunTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    ObjectNode config(String name, String extra) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree("""
                {"model": "mlp:8-16-16-1", "parameterization": "standard", "eta0": 0.05,
                 "data": {"source": "teacher-student", "dim": 8, "hidden": 4, "test": 64},
                 "batch_size": 8, "steps": 30, "seed": 3, "out": "%s"}
                """.formatted(tmp.resolve(name).toString().replace("\\", "\\\\")));
        root.setAll((ObjectNode) JSON.readTree(extra));
        return root;
    }

    OnlineResult run(ObjectNode c) throws IOException {
        return new OnlineRun(OnlineConfig.parse(c)).run();
    }

    static List<String> column(Path file, int col) throws IOException {
        return Files.readAllLines(file).stream().skip(1).map(l -> l.split(",", -1)[col]).toList();
    }

    @Test
    void writesStepsEvalsAndSummary() throws IOException {
        OnlineResult r = run(config("a", "{}"));
        Path dir = tmp.resolve("a");
        assertEquals(OnlineResult.Status.COMPLETED, r.status());
        assertEquals(30, r.stepsDone());
        assertEquals("step,loss,seconds", Files.readAllLines(dir.resolve("steps.csv")).get(0));
        assertEquals(30, column(dir.resolve("steps.csv"), 0).size());
        // 1-2-5 grid below 30, then the last step
        assertEquals(List.of("0", "1", "2", "5", "10", "20", "30"), column(dir.resolve("evals.csv"), 0));
        assertEquals(List.of("0", "8", "16", "40", "80", "160", "240"), column(dir.resolve("evals.csv"), 1));
        JsonNode s = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals("completed", s.path("status").asText());
        assertEquals(0.05, s.path("eta0").asDouble());
        assertEquals(16, s.path("width").asInt());
        assertEquals(3, s.path("depth").asInt());
        assertEquals("f32", s.path("dtype").asText());
        assertTrue(s.path("final").path("test_loss").isNumber());
        assertTrue(s.path("final").path("test_acc").isNull(), "regression has no accuracy");
        assertTrue(s.path("best").path("test_loss").asDouble() <= s.path("final").path("test_loss").asDouble());
        // The config in the summary reads back into the same run.
        assertEquals(OnlineConfig.parse(config("a", "{}")), OnlineConfig.parse(s.path("config")));
        assertEquals(r, OnlineResult.read(dir).orElseThrow());
        // SGD at a sane rate learns the teacher: the test loss falls.
        List<String> test = column(dir.resolve("evals.csv"), 2);
        assertTrue(Double.parseDouble(test.getLast()) < Double.parseDouble(test.getFirst()), test.toString());
    }

    @Test
    void sameConfigSameLossesBitForBit() throws IOException {
        run(config("a", "{}"));
        run(config("b", "{}"));
        run(config("c", "{\"seed\": 4}"));
        List<String> a = column(tmp.resolve("a/steps.csv"), 1), b = column(tmp.resolve("b/steps.csv"), 1);
        assertEquals(a, b);
        assertEquals(column(tmp.resolve("a/evals.csv"), 2), column(tmp.resolve("b/evals.csv"), 2));
        assertNotEquals(a, column(tmp.resolve("c/steps.csv"), 1), "another seed draws other samples and weights");
    }

    @Test
    void hugeLearningRateDivergesAndKeepsResultsSoFar() throws IOException {
        OnlineResult r = run(config("d", "{\"eta0\": 1e6, \"steps\": 200}"));
        assertEquals(OnlineResult.Status.DIVERGED, r.status());
        assertTrue(r.divergedAt() >= 0 && r.divergedAt() < 200, "diverged at " + r.divergedAt());
        Path dir = tmp.resolve("d");
        List<String> losses = column(dir.resolve("steps.csv"), 1);
        String last = losses.getLast();
        assertTrue(last.equals("NaN") || last.contains("Infinity"), "the bad loss is the last row: " + last);
        assertEquals(r.divergedAt() + 1, losses.size());
        JsonNode s = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals("diverged", s.path("status").asText());
        assertEquals(r.divergedAt(), s.path("diverged_at").asLong());
        assertTrue(Double.isFinite(Double.parseDouble(column(dir.resolve("evals.csv"), 2).getFirst())),
                "the evaluation at step 0 is kept");
        assertTrue(OnlineResult.read(dir).orElseThrow().diverged());
    }

    @Test
    void lossAboveAFactorOfTheFirstDivergesWhenAsked() throws IOException {
        // F64 keeps a blowing-up run finite for a while: NaN/Inf alone does not stop it, diverge_above does.
        OnlineResult plain = run(config("p", "{\"eta0\": 3, \"dtype\": \"f64\", \"steps\": 6}"));
        List<Double> losses = column(tmp.resolve("p/steps.csv"), 1).stream().map(Double::parseDouble).toList();
        double first = losses.getFirst(), max = losses.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(OnlineResult.Status.COMPLETED, plain.status(), "finite losses " + losses);
        assertTrue(max > 10 * first, "the run blows up: " + losses);
        long expected = java.util.stream.IntStream.range(0, losses.size()).filter(i -> losses.get(i) > 10 * first)
                .findFirst().orElseThrow();
        OnlineResult cut = run(config("c", "{\"eta0\": 3, \"dtype\": \"f64\", \"steps\": 6, \"diverge_above\": 10}"));
        assertEquals(OnlineResult.Status.DIVERGED, cut.status());
        assertEquals(expected, cut.divergedAt());
        assertEquals(10.0, JSON.readTree(tmp.resolve("c/summary.json").toFile()).path("config").path("diverge_above").asDouble(),
                "recorded in the run's config");
        ConfigException e = assertThrows(ConfigException.class,
                () -> OnlineConfig.parse(config("x", "{\"diverge_above\": 0.5}")));
        assertEquals("diverge_above", e.path());
    }

    @Test
    void testSamplesEvaluatesAPrefixOfTheTestSet() throws IOException {
        run(config("all", "{}")); // 64 test samples
        run(config("few", "{\"test_samples\": 16}"));
        run(config("small", "{\"data\": {\"source\": \"teacher-student\", \"dim\": 8, \"hidden\": 4, \"test\": 16}}"));
        run(config("more", "{\"test_samples\": 1000}")); // more than there are: all of them
        // Training is untouched; only the evaluation changes, to exactly a 16-sample test set's.
        assertEquals(column(tmp.resolve("all/steps.csv"), 1), column(tmp.resolve("few/steps.csv"), 1));
        List<String> all = column(tmp.resolve("all/evals.csv"), 2), few = column(tmp.resolve("few/evals.csv"), 2);
        assertEquals(column(tmp.resolve("small/evals.csv"), 2), few);
        assertNotEquals(all, few);
        assertEquals(all, column(tmp.resolve("more/evals.csv"), 2));
        // Recorded in the summary's config and read back; null (the default) is the whole set.
        JsonNode cfg = JSON.readTree(tmp.resolve("few/summary.json").toFile()).path("config");
        assertEquals(16, cfg.path("test_samples").asInt());
        assertEquals(OnlineConfig.parse(config("few", "{\"test_samples\": 16}")), OnlineConfig.parse(cfg));
        assertTrue(JSON.readTree(tmp.resolve("all/summary.json").toFile()).path("config").path("test_samples").isNull());
        for (String bad : new String[] {"0", "-3", "2.5", "\"ten\""}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> OnlineConfig.parse(config("x", "{\"test_samples\": " + bad + "}")), bad);
            assertEquals("test_samples", e.path(), bad);
        }
    }

    @Test
    void folderWithoutSummaryIsNotAResult() throws IOException {
        assertTrue(OnlineResult.read(tmp.resolve("nothing")).isEmpty());
        Files.createDirectories(tmp.resolve("half"));
        Files.writeString(tmp.resolve("half/steps.csv"), "step,loss,seconds\n");
        assertTrue(OnlineResult.read(tmp.resolve("half")).isEmpty());
    }

    @Test
    void badConfigsNameTheField() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> OnlineConfig.parse(config("x", "{\"eta0\": -1}")));
        assertEquals("eta0", e.path());
        ObjectNode noSteps = config("x", "{}");
        noSteps.remove("steps");
        assertEquals("steps", assertThrows(ConfigException.class, () -> OnlineConfig.parse(noSteps)).path());
        assertEquals("loss", assertThrows(ConfigException.class,
                () -> OnlineConfig.parse(config("x", "{\"loss\": \"ce\"}"))).path(), "teacher-student is regression");
        assertEquals("data.activation", assertThrows(ConfigException.class, () -> OnlineConfig.parse(
                config("x", "{\"data\": {\"source\": \"teacher-student\", \"activation\": \"cosh\"}}"))).path());
        assertEquals("data.augment.bogus", assertThrows(ConfigException.class, () -> OnlineConfig.parse(
                config("x", "{\"data\": {\"source\": \"mnist:/x\", \"augment\": {\"bogus\": 1}}}"))).path());
        assertEquals("parameterization", assertThrows(ConfigException.class,
                () -> OnlineConfig.parse(config("x", "{\"parameterization\": \"sp\"}"))).path());
    }

    @Test
    void wrongOutputWidthFailsAndSaysSo() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(config("w", "{\"model\": \"mlp:8-16-3\"}")));
        assertTrue(e.getMessage().contains("needs 1 outputs"), e.getMessage());
        assertEquals("failed", JSON.readTree(tmp.resolve("w/summary.json").toFile()).path("status").asText());
        assertTrue(OnlineResult.read(tmp.resolve("w")).isEmpty(), "a failed run is redone");
    }

    @Test
    void mupRunIsCenteredScaledAndDoubleAtSmallGamma() throws IOException {
        OnlineResult r = run(config("m", "{\"parameterization\": \"mup\", \"gamma0\": 0.001, \"eta0\": 1e-7}"));
        assertEquals("f64", r.dtype(), "gamma0 < 1e-2 runs in double");
        assertEquals(16 * 1e-7, r.lr(), 1e-20, "muP lr = N * eta0");
        JsonNode s = JSON.readTree(tmp.resolve("m/summary.json").toFile());
        assertEquals(0.001, s.path("gamma0").asDouble());
        // Centered: f = 0 at step 0, so the first MSE is the mean squared target, the same for any gamma0.
        OnlineResult big = run(config("n", "{\"parameterization\": \"mup\", \"gamma0\": 100, \"eta0\": 1e-3, \"steps\": 1}"));
        assertEquals("f32", big.dtype());
        double first = Double.parseDouble(column(tmp.resolve("m/evals.csv"), 2).getFirst());
        double firstBig = Double.parseDouble(column(tmp.resolve("n/evals.csv"), 2).getFirst());
        assertEquals(first, firstBig, 1e-6 * first);
        assertEquals("f64", OnlineConfig.parse(config("x", "{\"parameterization\": \"mup\", \"gamma0\": 0.001}")).resolvedDtype().name().toLowerCase());
        assertEquals("f32", OnlineConfig.parse(config("x", "{\"gamma0\": 0.001, \"dtype\": \"f32\"}")).resolvedDtype().name().toLowerCase());
    }

    @Test
    void topHessianEigenvalueAtTheEndWhenAsked() throws IOException {
        OnlineResult r = run(config("h", "{\"parameterization\": \"mup\", \"gamma0\": 1, \"eta0\": 0.01, \"dtype\": \"f64\","
                + " \"hessian_iterations\": 30}"));
        assertTrue(r.hessianTop() > 0 && Double.isFinite(r.hessianTop()), "lambda_max " + r.hessianTop());
        // A stable run sits below the edge of stability: lr * lambda_max < 2.
        assertTrue(r.lr() * r.hessianTop() < 2, "lr " + r.lr() + ", lambda_max " + r.hessianTop());
        assertEquals(r.hessianTop(), JSON.readTree(tmp.resolve("h/summary.json").toFile()).path("hessian_top").asDouble());
        assertTrue(Double.isNaN(run(config("i", "{}")).hessianTop()), "not asked for: NaN, null in the summary");
    }

    @Test
    void evalGridIsOneTwoFive() {
        assertArrayEquals(new long[] {0}, EvalGrid.steps(0));
        assertArrayEquals(new long[] {0, 1}, EvalGrid.steps(1));
        assertArrayEquals(new long[] {0, 1, 2, 5, 10, 20, 50, 100}, EvalGrid.steps(100));
        assertArrayEquals(new long[] {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 1234}, EvalGrid.steps(1234));
        assertFalse(EvalGrid.steps(Long.MAX_VALUE / 2).length > 60);
    }
}
