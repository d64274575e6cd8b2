package optlab.experiments.distancenets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import optlab.experiments.pathsgd.Curves;
import optlab.experiments.pathsgd.StepSelection;
import optlab.experiments.plot.CsvTable;
import optlab.experiments.run.RunConfig;
import optlab.experiments.sweep.SweepFolders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distance-network recipe on a tiny Gaussian mixture: grid, runs, probes, selection, table, figures, resume. */
class DistanceRecipeTest {
    @TempDir
    Path tmp;

    final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static final String MIXTURE = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 300, \"test\": 90}";

    static Settings tiny(Path out) {
        Map<Method, List<Double>> lrs = new LinkedHashMap<>();
        lrs.put(Method.SGD, List.of(0.1, 1e-9)); // 1e-9: a step that learns nothing
        lrs.put(Method.RMSPROP_KURBIEL, List.of(0.01, 0.003));
        return new Settings("test", RunConfig.readTree(MIXTURE), 0, 60, 6, List.of(1, 2), List.of(Arch.values()), lrs,
                2, 20, 1000, 3, 2, out);
    }

    @Test
    void runsTheGridWritesFiguresAndSummaryAndResumes() throws IOException {
        Path out = tmp.resolve("r");
        Settings s = tiny(out);
        Recipe.Result r = Recipe.run(s, log);
        assertTrue(r.sweep().allDone(), () -> r.sweep().failed().toString());
        assertEquals(4 * 2 * 2 * 2, r.sweep().outcomes().size());
        for (String f : List.of("recipe.json", "curves.png", "curves.svg", "archs.png", "archs.svg", "gradients.png",
                "gradients.svg", "summary.txt", "summary.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }

        // 240 training samples (300 - 60 held out) in minibatches of 20: 12 steps per epoch.
        Path run = out.resolve("runs/distance-d2-rmsprop-kurbiel-lr1e-2");
        RunConfig c = RunConfig.parse(SweepFolders.summary(run).path("config"));
        assertEquals("distance:8-6-6-3", c.model());
        assertEquals(optlab.optim.Optimizers.parse("rmsprop-kurbiel:lr=0.01,weight_decay=5e-5"), c.optimizer()); // λ/B
        assertEquals("compound_inverse", c.toJson().path("schedule").path("name").asText());
        assertEquals(12, c.toJson().path("schedule").path("steps_per_epoch").asInt());
        assertEquals("mlp:8-6-3,act=sigmoid",
                RunConfig.parse(SweepFolders.summary(out.resolve("runs/sigmoid-d1-sgd-lr1e-1")).path("config")).model());
        assertEquals("constant", RunConfig.parse(SweepFolders.summary(out.resolve("runs/relu-d1-sgd-lr1e-1"))
                .path("config")).toJson().path("schedule").path("name").asText());

        // Gradient norms at init and after the first epoch, a column per tensor; the figure's layers combine them.
        CsvTable g = CsvTable.read(run.resolve("grad_norms.csv"));
        assertEquals(List.of("step", "epoch", "0.centroids", "0.widths", "1.centroids", "1.widths", "2.centroids",
                "2.widths"), g.header());
        assertEquals(List.of(0.0, 12.0), java.util.Arrays.stream(g.values(0)).boxed().toList().subList(0, 2));
        GradientFlow flow = GradientFlow.read(run);
        assertEquals(List.of("0", "1", "2"), flow.layers());
        double[] row = g.rows().get(0);
        assertEquals(Math.hypot(row[2], row[3]), flow.atInit()[0], 1e-15);
        assertTrue(flow.afterEpoch()[2] > 0);

        // The choice follows the rule over what the folders say.
        assertEquals(4 * 2 * 2, r.choices().size());
        for (Recipe.Choice ch : r.choices()) {
            StepSelection.Candidate chosen = ch.chosen().orElseThrow();
            for (StepSelection.Candidate other : ch.candidates()) {
                assertTrue(chosen.validationError() <= other.validationError(), ch.toString());
            }
            assertEquals(Recipe.last(Curves.read(ch.folder()).testError()), ch.finalTestError());
        }
        JsonNode summary = SweepFolders.summary(out);
        assertEquals(16, summary.path("results").size());
        assertEquals(32, summary.path("sweep").path("runs").asInt());
        JsonNode first = summary.path("results").get(0);
        assertEquals("distance", first.path("arch").asText());
        assertEquals(2, first.path("grad_norms").path("at_init").size()); // depth 1: two distance layers
        String text = Files.readString(out.resolve("summary.txt"));
        assertTrue(text.contains("Final test error (%), sigmoid MLP"), text);
        assertTrue(text.contains(Report.table(s, r.choices())), text);

        // Resume: nothing reruns, the same choices come out; other settings into the folder are refused.
        Recipe.Result again = Recipe.run(s, log);
        assertEquals(32, again.sweep().reused());
        assertEquals(r.choices().stream().map(x -> x.chosen().orElseThrow().lr()).toList(),
                again.choices().stream().map(x -> x.chosen().orElseThrow().lr()).toList());
        Settings other = new Settings(s.preset(), s.data(), 0, s.validation(), s.width(), s.depths(), s.archs(), s.lrs(),
                3, s.batch(), s.evalTrainSamples(), s.seed(), s.workers(), out);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Recipe.run(other, log)).getMessage()
                .contains("epochs was 2, now 3"));
    }

    @Test
    void stepSelectionAndTableAgainstHandCheckedValues() {
        // Validation errors 20 %, 15 %, 15 % and a diverged run: the tie between 1e-2 and 3e-3 goes to the larger step.
        List<StepSelection.Candidate> cs = List.of(new StepSelection.Candidate(0, 0.03, "completed", 0.20),
                new StepSelection.Candidate(1, 0.01, "completed", 0.15),
                new StepSelection.Candidate(2, 0.003, "completed", 0.15),
                new StepSelection.Candidate(3, 0.1, "diverged", Double.NaN));
        assertEquals(0.01, StepSelection.choose(cs).orElseThrow().lr());

        Map<Method, List<Double>> lrs = new LinkedHashMap<>();
        lrs.put(Method.SGD, List.of(0.1));
        lrs.put(Method.ADAM, List.of(0.001));
        Settings s = new Settings("test", JsonNodeFactory.instance.textNode("fashion-mnist"), 0, 10, 100, List.of(1, 3),
                List.of(Arch.DISTANCE), lrs, 2, 100, 10, 0, 1, tmp);
        double[] epochs = {0, 1, 2};
        Curves a = new Curves(epochs, new double[] {2.3, 0.6, 0.4}, new double[3], new double[] {0.9, 0.2, 0.14},
                new double[] {0.9, 0.21, 0.1234}, new double[3]);
        Curves b = new Curves(epochs, new double[] {2.3, 2.0, 1.9}, new double[3], new double[] {0.9, 0.8, 0.7},
                new double[] {0.9, 0.8, 0.75}, new double[3]);
        List<Recipe.Choice> choices = List.of(
                choice(Arch.DISTANCE, 1, Method.SGD, 0.1, b), choice(Arch.DISTANCE, 1, Method.ADAM, 0.001, a),
                new Recipe.Choice(Arch.DISTANCE, 3, Method.SGD, List.of(), Optional.empty(), null, null),
                choice(Arch.DISTANCE, 3, Method.ADAM, 0.001, a));
        String expected = """

                Final test error (%), distance net (chosen step):
                depth  sgd                  adam                
                1      75.00 (1e-1)         12.34 (1e-3)        
                3      -                    12.34 (1e-3)        
                """;
        assertEquals(expected, Report.table(s, choices));
        assertEquals(Arch.DISTANCE, Figures.best(choices, Arch.DISTANCE, 1).orElseThrow().arch());
        assertEquals(Method.ADAM, Figures.best(choices, Arch.DISTANCE, 1).orElseThrow().method());
    }

    private static Recipe.Choice choice(Arch arch, int depth, Method m, double lr, Curves k) {
        StepSelection.Candidate c = new StepSelection.Candidate(0, lr, "completed", k.validationError()[2]);
        return new Recipe.Choice(arch, depth, m, List.of(c), Optional.of(c), k, null);
    }

    @Test
    void namesSpecsAndPresets() {
        assertEquals("3e-3", Recipe.lrKey(0.003));
        assertEquals("1", Recipe.lrKey(1.0));
        assertEquals("1e-1", Recipe.lrKey(0.1));
        assertEquals("1e-5", Recipe.lrKey(1e-5));
        assertEquals("distance:784-100-100-10", Arch.DISTANCE.model(784, 100, 2, 10));
        assertEquals("mlp-distance:784-100-10", Arch.HYBRID.model(784, 100, 1, 10));
        assertEquals("rmsprop-kurbiel:lr=0.01,weight_decay=1.0E-5", Method.RMSPROP_KURBIEL.optimizer(0.01, 100));
        assertEquals("sgd:lr=0.1,momentum=0.9", Method.MOMENTUM.optimizer(0.1, 100));
        Settings paper = Preset.PAPER.settings(JsonNodeFactory.instance.textNode("fashion-mnist"), tmp, 2);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), paper.depths());
        assertEquals(50, paper.epochs());
        assertEquals(100, paper.batch());
        assertEquals(List.of(0.03, 0.01, 0.003), paper.lrs().get(Method.RMSPROP_KURBIEL));
        assertFalse(Preset.QUICK.settings(JsonNodeFactory.instance.textNode("fashion-mnist"), tmp, 2).trainSamples() == 0);
    }
}
