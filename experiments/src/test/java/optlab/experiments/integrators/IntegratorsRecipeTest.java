package optlab.experiments.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import optlab.experiments.plot.CsvTable;
import optlab.experiments.run.RunConfig;
import optlab.experiments.sweep.SweepFolders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe end to end on a tiny Gaussian mixture: runs, KPIs, figures, summaries, resume. */
class IntegratorsRecipeTest {
    @TempDir
    Path tmp;

    final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static final String MIXTURE = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 200, \"test\": 60}";

    /** 200 samples in batches of 20: 10 steps an epoch, evaluated every 5; the ladder 10 steps at lr 0.05 and 1e3. */
    static Settings tiny(Path out) {
        return new Settings("test", RunConfig.readTree(MIXTURE), List.of("mlp:8-12-3"), List.of("euler", "heun", "rk4"),
                List.of(0.1), 2, 2, 20, 0, 0, 2, 100, List.of(0.05, 1000.0), List.of(0), 10, 3, 0, 2, out);
    }

    @Test
    void writesRunsFiguresAndSummaryAndResumes() throws IOException {
        Path out = tmp.resolve("r");
        Recipe.Result r = Recipe.run(tiny(out), log);
        assertTrue(r.sweep().allDone() || r.sweep().failed().isEmpty(), () -> r.sweep().failed().toString());
        assertEquals(3 * 2 + 3 * 2, r.sweep().outcomes().size(), "3 rules x 2 seeds, and 3 rules x 2 ladder rungs");
        for (String f : List.of("recipe.json", "figure.png", "figure.svg", "modified_flow.png", "modified_flow.svg",
                "summary.txt", "summary.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        String svg = Files.readString(out.resolve("figure.svg"));
        for (String text : List.of("training loss by epoch", "training loss by cost", "test accuracy by cost", "rk4")) {
            assertTrue(svg.contains(text), text);
        }

        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("integrators", s.get("recipe").asText());
        JsonNode results = s.get("results");
        assertEquals(3, results.size());
        JsonNode euler = results.get(0), heun = results.get(1), rk4 = results.get(2);
        assertEquals("rk4", rk4.get("rule").asText());
        // Budget: Euler's 20 steps of one gradient each; heun spends 2 a step, rk4 4: 20, 40 and 80 per epoch... of 10 steps.
        assertEquals(20, euler.get("budget_grad_evals").asDouble());
        assertEquals(10, euler.path("grad_evals_per_epoch").get("mean").asDouble());
        assertEquals(20, heun.path("grad_evals_per_epoch").get("mean").asDouble());
        assertEquals(40, rk4.path("grad_evals_per_epoch").get("mean").asDouble());
        for (JsonNode x : results) {
            assertEquals(2, x.get("completed").asInt());
            for (String k : List.of("loss_at_epochs", "acc_at_epochs", "loss_at_evals", "acc_at_evals",
                    "seconds_per_epoch", "grad_evals_per_epoch")) {
                for (String f : List.of("mean", "std", "min", "max", "n")) {
                    assertTrue(x.path(k).has(f), k + "." + f);
                }
            }
        }
        // At equal epochs Euler's whole run is the budget; rk4 reached it after 5 steps (4 x 5 = 20): its eval at step 5.
        assertEquals(euler.path("loss_at_epochs").get("mean").asDouble(), euler.path("loss_at_evals").get("mean").asDouble());
        double[] at5 = new double[2];
        for (int seed = 0; seed < 2; seed++) {
            CsvTable t = CsvTable.read(out.resolve("runs/mlp-rk4-lr0.1-s" + seed + "/evals.csv"));
            assertEquals(5, t.values(t.requireColumn("step"))[1]);
            at5[seed] = t.values(t.requireColumn("train_loss"))[1];
        }
        assertEquals((at5[0] + at5[1]) / 2, rk4.path("loss_at_evals").get("mean").asDouble(), 1e-12);
        assertEquals(Math.min(at5[0], at5[1]), rk4.path("loss_at_evals").get("min").asDouble(), 1e-12);

        JsonNode stability = s.get("stability");
        assertEquals(3, stability.size());
        for (JsonNode k : stability) {
            assertEquals(0.05, k.get("max_stable_lr").asDouble(), k.toString());
            assertEquals(1000, k.get("first_unstable_lr").asDouble(), k.toString());
        }
        JsonNode flow = s.get("modified_flow");
        assertEquals(1, flow.get("slope_L").asDouble(), 0.15);
        assertEquals(2, flow.get("slope_modified").asDouble(), 0.2);
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("Stability ladder"));

        // Resume: nothing reruns; a deleted run is redone alone.
        Path one = out.resolve("runs/mlp-heun-lr0.1-s1"), kept = out.resolve("runs/mlp-euler-lr0.1-s0/steps.csv");
        FileTime before = Files.getLastModifiedTime(kept);
        Recipe.Result again = Recipe.run(tiny(out), log);
        assertEquals(again.sweep().outcomes().size(), again.sweep().reused());
        deleteTree(one);
        Recipe.Result third = Recipe.run(tiny(out), log);
        assertEquals(third.sweep().outcomes().size() - 1, third.sweep().reused());
        assertTrue(SweepFolders.done(one));
        assertEquals(before, Files.getLastModifiedTime(kept));
        assertFalse(Files.readString(out.resolve("summary.json")).isEmpty());
    }

    private static void deleteTree(Path p) throws IOException {
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
