package optlab.experiments.pathsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import optlab.experiments.run.RunConfig;
import optlab.experiments.run.Unbalancing;
import optlab.experiments.sweep.SweepFolders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe end to end on a tiny Gaussian mixture: grid, selection, figure, summaries, resume. */
class RecipeTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static final String MIXTURE = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 300, \"test\": 90}";

    Settings tiny(Path out, List<Method> methods, List<InitKind> inits, int epochs) {
        Map<Method, List<Integer>> grid = new LinkedHashMap<>();
        for (Method m : methods) {
            grid.put(m, m == Method.SGD ? List.of(1, 9) : List.of(1, 2)); // 1e-9: a step that learns nothing
        }
        return new Settings("test", RunConfig.readTree(MIXTURE), 60, 12, epochs, grid, inits, 20, 0, 1000, 3,
                new Unbalancing(4, 1.0), 2, out);
    }

    @Test
    void runsTheGridChoosesStepsAndWritesFigureAndSummaries() throws IOException {
        Path out = tmp.resolve("r");
        Settings s = tiny(out, List.of(Method.values()), List.of(InitKind.values()), 2);
        Recipe.Result r = Recipe.run(s, log);
        assertTrue(r.sweep().allDone(), () -> r.sweep().failed().toString());
        assertEquals(2 * 3 * 2, r.sweep().outcomes().size());
        for (String f : List.of("recipe.json", "figure.png", "figure.svg", "summary.txt", "summary.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(out.resolve("runs/sgd-balanced-a1/evals.csv")));
        BufferedImage png = ImageIO.read(out.resolve("figure.png").toFile());
        assertEquals(1120, png.getWidth());
        String svg = Files.readString(out.resolve("figure.svg"));
        for (String text : List.of("Path-SGD", "SGD", "AdaGrad", "balanced init: training loss", "unbalanced init: test error")) {
            assertTrue(svg.contains(text), text);
        }

        // Every run: 240 training samples (300 - 60 held out), 12 steps per epoch, the validation error logged.
        RunConfig c = RunConfig.parse(SweepFolders.summary(out.resolve("runs/sgd-balanced-a1")).path("config"));
        assertEquals(optlab.optim.Optimizers.parse("sgd:lr=0.1"), c.optimizer()); // plain SGD: no momentum
        assertEquals(1, c.threads());
        Curves k = Curves.read(out.resolve("runs/sgd-balanced-a1"));
        assertEquals(List.of(0.0, 1.0, 2.0), java.util.Arrays.stream(k.epoch()).boxed().toList());
        assertTrue(Double.isFinite(k.validationError()[2]));

        // Unbalanced runs rescaled the same balanced start: the path norm (rescaling-invariant) starts equal.
        assertEquals(Curves.read(out.resolve("runs/sgd-balanced-a1")).pathNorm()[0],
                Curves.read(out.resolve("runs/sgd-unbalanced-a1")).pathNorm()[0], 1e-5);
        assertTrue(RunConfig.parse(SweepFolders.summary(out.resolve("runs/sgd-unbalanced-a1")).path("config")).unbalanced() != null);

        // The choice follows the rule over what the folders say; 1e-9 learns nothing, so it is never chosen.
        assertEquals(6, r.choices().size());
        for (Recipe.Choice ch : r.choices()) {
            StepSelection.Candidate chosen = ch.chosen().orElseThrow();
            assertTrue(chosen.alpha() != 9, ch.toString());
            for (StepSelection.Candidate other : ch.candidates()) {
                double e = Curves.last(Curves.read(out.resolve("runs/" + ch.method().key() + "-" + ch.init().key() + "-a"
                        + other.alpha())).validationError());
                assertEquals(e, other.validationError());
                assertTrue(chosen.validationError() <= e, ch.toString());
            }
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(StepSelection.RULE, summary.path("selection_rule").asText());
        assertEquals(6, summary.path("results").size());
        JsonNode sgd = summary.path("results").get(1);
        assertEquals("sgd", sgd.path("method").asText());
        assertEquals(2, sgd.path("grid").size());
        assertEquals(3, sgd.path("curves").path("test_error").size());
        assertTrue(sgd.path("final").path("train_loss").asDouble() > 0);
        assertTrue(summary.path("reached").get(1).path("epoch_train_loss_reached").has("path-sgd"));
        String text = Files.readString(out.resolve("summary.txt"));
        assertTrue(text.contains("== balanced init =="), text);
        assertTrue(text.contains("reached at epoch"), text);

        // Resume: nothing reruns, the same choice comes out.
        logBytes.reset();
        Recipe.Result again = Recipe.run(s, log);
        assertEquals(12, again.sweep().reused());
        assertEquals(r.choices().stream().map(x -> x.chosen().orElseThrow().alpha()).toList(),
                again.choices().stream().map(x -> x.chosen().orElseThrow().alpha()).toList());

        // The same folder named another way is the same run.
        Path dotted = out.getParent().resolve(".").resolve(out.getFileName());
        Settings same = new Settings(s.preset(), s.data(), s.validation(), s.hidden(), s.epochs(), s.alphas(), s.inits(),
                s.batch(), s.dropout(), s.evalTrainSamples(), s.seed(), s.unbalancing(), s.workers(), dotted);
        assertEquals(12, Recipe.run(same, log).sweep().reused());

        // Other settings into the same folder: refused, naming what differs.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.run(tiny(out, List.of(Method.values()), List.of(InitKind.values()), 3), log));
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void aDivergedGridPointIsReportedAndSkipped() throws IOException {
        Path out = tmp.resolve("d");
        Settings s = tiny(out, List.of(Method.SGD), List.of(InitKind.BALANCED), 2);
        // Inputs of size ~1e5 make lr = 1 blow up at once; lr = 1e-12 barely moves and stays finite.
        Settings wild = new Settings("test", RunConfig.readTree("{\"source\": \"gaussian-mixture\", \"classes\": 3, "
                + "\"dim\": 8, \"separation\": 1e5, \"train\": 300, \"test\": 90}"), 60, 12, 2, Map.of(Method.SGD,
                List.of(0, 12)), s.inits(), 20, 0, 1000, 3, s.unbalancing(), 2, out);
        Recipe.Result r = Recipe.run(wild, log);
        Recipe.Choice ch = r.choices().getFirst();
        assertEquals("diverged", ch.candidates().get(0).status());
        assertEquals(12, ch.chosen().orElseThrow().alpha());
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("1e-0 diverged"));
    }
}
