package optlab.experiments.gammaeta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import optlab.experiments.online.OnlineResult;
import optlab.experiments.run.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole tiny sweep (a few seconds): the scan per γ0, the summary's fields, figures, and resuming. */
class RecipeTest {
    @TempDir
    Path tmp;

    static ObjectNode tiny() throws IOException {
        return (ObjectNode) SweepJson.MAPPER.readTree("""
                {"run": {"model": "mlp:4-8-8-1", "parameterization": "mup", "batch_size": 8, "steps": 20, "hessian_iterations": 5,
                         "data": {"source": "teacher-student", "dim": 4, "hidden": 4, "test": 32}},
                 "gamma0": {"from": -2, "to": 2}, "eta0": {"top": 3, "decades_below": 1}, "curves": [-2, 2]}
                """);
    }

    static String run(Settings spec, Path dir) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new Recipe(spec, dir, 2, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** One tiny sweep, checked, then partly deleted and resumed (one test: a sweep takes seconds). */
    @Test
    void sweepFindsEtaMaxPerGammaWritesTheSummaryAndResumes() throws IOException {
        Settings spec = Settings.parse(tiny());
        Path dir = tmp.resolve("s");
        String log = run(spec, dir);
        assertTrue(log.contains("runs 1/~"), log);
        JsonNode s = SweepJson.MAPPER.readTree(dir.resolve("summary.json").toFile());
        JsonNode etaMax = s.path("eta_max");
        assertEquals(9, etaMax.size(), "one eta_max per gamma0 in 1e-2 .. 1e2, two per decade: " + etaMax);
        for (JsonNode e : etaMax) {
            double g = e.path("gamma0").asDouble(), eta = e.path("eta0_max").asDouble();
            // η_max is the first finite η0 from the top: the grid point above it diverged, and it did not.
            Path above = ChainJob.runFolder(spec, dir, spec.gammaGrid().index(Math.log10(g)),
                    spec.etaGrid().index(Math.log10(eta)) + 1);
            assertTrue(OnlineResult.read(above).orElseThrow().diverged(), "above eta_max diverged at gamma0 " + g);
        }
        // η_max grows with γ0 (the lazy side scales like γ0²)
        assertTrue(etaMax.get(8).path("eta0_max").asDouble() > etaMax.get(0).path("eta0_max").asDouble(), etaMax.toString());
        assertTrue(s.path("slope_small_gamma").isNumber() && s.path("slope_large_gamma").isNumber(), s.toString());
        assertTrue(s.path("slope_small_gamma").asDouble() > 0.5, "lazy side slope " + s.path("slope_small_gamma"));
        JsonNode fit = s.path("fits").path("small_gamma");
        assertTrue(fit.path("ci_low").asDouble() <= fit.path("slope").asDouble()
                && fit.path("slope").asDouble() <= fit.path("ci_high").asDouble());
        assertEquals(4, fit.path("n").asInt(), "gamma0 < 1: 1e-2 .. 10^-0.5");
        assertEquals(3, s.path("depth").asInt());
        assertEquals(8, s.path("width").asInt());
        assertEquals(s.path("runs").size(), s.path("runs_total").asInt());
        // Each chain stops one decade (two grid points) below its η_max.
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            assertEquals(s.path("runs").size(), runs.count());
        }
        assertTrue(s.has("hessian_slope_small_gamma") && s.has("hessian_slope_large_gamma"), s.toString());
        assertEquals(-2.0 / 3, s.path("expected_slopes").path("hessian_large_gamma").asDouble(), 1e-15);
        JsonNode hess = s.path("hessian_top");
        assertTrue(hess.size() >= 3, "lambda_max one decade below eta_max per gamma0: " + hess);
        // Power iteration finds the eigenvalue of largest magnitude; on the lazy side that is the positive top.
        assertTrue(hess.get(0).path("lambda_max").asDouble() > 0, hess.toString());
        for (String f : new String[] {"phase.png", "phase.svg", "curves_steps.png", "curves_tau.svg", "hessian.png",
                "sweep.json"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        resumeReusesFinishedRunsAndRedoesTheRest(spec, dir, s);
    }

    static void resumeReusesFinishedRunsAndRedoesTheRest(Settings spec, Path dir, JsonNode first) throws IOException {
        // Lose one chain's summary and one of its runs: only that run is recomputed.
        int kg = spec.gammaFrom();
        Files.delete(ChainJob.chainFolder(spec, dir, kg).resolve("summary.json"));
        int ke = spec.etaGrid().index(Math.log10(first.path("eta_max").get(0).path("eta0_max").asDouble()));
        Files.delete(ChainJob.runFolder(spec, dir, kg, ke).resolve("summary.json"));
        String log = run(spec, dir);
        assertTrue(log.contains("8 already done, 1 to run"), log);
        long computed = log.lines().filter(l -> l.startsWith("runs ") && !l.contains("(reused)")).count();
        assertEquals(1, computed, log);
        JsonNode second = SweepJson.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertEquals(first.path("eta_max"), second.path("eta_max"));
        assertEquals(first.path("runs").size(), second.path("runs").size());
    }

    @Test
    void aFolderHoldsOneSweep() throws IOException {
        Path dir = tmp.resolve("x");
        ObjectNode small = tiny();
        small.with("gamma0").put("from", 0).put("to", 0);
        run(Settings.parse(small), dir);
        small.with("gamma0").put("to", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(Settings.parse(small), dir));
        assertTrue(e.getMessage().contains("different sweep"), e.getMessage());
    }

    @Test
    void etaMaxAtTheTopIsALowerBoundLeftOutOfTheFits() throws IOException {
        ObjectNode low = tiny();
        low.with("gamma0").put("from", 2).put("to", 2);
        low.with("eta0").put("top", -2).put("decades_below", 0);
        Path dir = tmp.resolve("t");
        String log = run(Settings.parse(low), dir);
        assertTrue(log.contains("lower bound"), log);
        JsonNode s = SweepJson.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertTrue(s.path("eta_max").get(0).path("at_top").asBoolean(), s.toString());
        assertTrue(s.path("slope_large_gamma").isNull());
        assertTrue(s.path("fits").path("large_gamma").path("note").asText().contains("a fit needs 3"));
    }

    @Test
    void badSpecsNameTheField() throws IOException {
        ObjectNode a = tiny();
        a.with("run").put("eta0", 1);
        assertEquals("run.eta0", assertThrows(ConfigException.class, () -> Settings.parse(a)).path());
        ObjectNode b = tiny();
        b.with("run").put("batch_size", 0);
        assertEquals("run.batch_size", assertThrows(ConfigException.class, () -> Settings.parse(b)).path());
        ObjectNode c = tiny();
        c.with("eta0").put("floor", 10);
        assertEquals("eta0.floor", assertThrows(ConfigException.class, () -> Settings.parse(c)).path());
        ObjectNode d = tiny();
        d.with("gamma0").put("bogus", 1);
        assertEquals("gamma0.bogus", assertThrows(ConfigException.class, () -> Settings.parse(d)).path());
    }

    @Test
    void crossEntropyBelowGammaOneScansToTheFloorWhenAsked() throws IOException {
        ObjectNode e = tiny();
        e.with("run").put("loss", "ce").put("model", "mlp:784-8-8-10").put("data", "mnist:/nowhere");
        e.with("eta0").put("ce_to_floor", true);
        Settings ce = Settings.parse(e);
        assertTrue(ce.scan(-1).toFloor());
        assertFalse(ce.scan(0).toFloor(), "gamma0 = 1 is not below 1");
        assertFalse(Settings.parse(tiny()).scan(-4).toFloor(), "MSE stops decades_below under eta_max");
        assertEquals(ce.toJson(), Settings.parse(ce.toJson()).toJson(), "the spec reads back");
    }
}
