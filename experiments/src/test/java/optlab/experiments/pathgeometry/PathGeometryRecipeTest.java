package optlab.experiments.pathgeometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.run.JitDeterminismTestAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick preset's whole study, shortened to a few steps on tiny IDX images: files, summary, resume. */
class PathGeometryRecipeTest {
    @TempDir
    Path tmp;

    @Test
    void quickStudyOnTinyImagesWritesSummaryAndFiguresAndResumes() throws Exception {
        Path data = JitDeterminismTestAccess.idxFolder(tmp);
        Settings s = Preset.QUICK.settings(TextNode.valueOf("mnist:" + data), tmp.resolve("out"), 2).withSteps(6);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Recipe.Result r = Recipe.run(s, quiet);
        assertTrue(r.sweep().allDone(), r.sweep().failed().toString());
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("out/summary.json").toFile());
        JsonNode runs = summary.path("runs");
        assertEquals(19, runs.size());
        for (JsonNode run : runs) {
            assertEquals("completed", run.path("status").asText(), run.toString());
            assertTrue(run.path("config").has("model"), run.toString());
            assertTrue(run.path("config").has("geometry"), run.toString());
            double f = run.path("frac_cos_positive").asDouble(Double.NaN);
            assertTrue(f >= 0 && f <= 1, run.toString());
            assertTrue(Double.isFinite(run.path("median_cos").asDouble(Double.NaN)), run.toString());
        }
        // the groups the paper varies are all there
        List<String> groups = List.of("arch", "optimizer", "batch", "lr", "width", "seed");
        for (String g : groups) {
            assertTrue(summary.toString().contains("\"group\":\"" + g + "\""), g);
        }
        for (String f : List.of("cos", "rsi", "eb", "lolr", "cos_batch", "straight_line")) {
            assertTrue(Files.size(tmp.resolve("out").resolve(f + ".png")) > 0, f);
            assertTrue(Files.size(tmp.resolve("out").resolve(f + ".svg")) > 0, f);
        }
        assertTrue(Files.readString(tmp.resolve("out/summary.txt")).contains("## batch"));
        Recipe.Result again = Recipe.run(s, quiet);
        assertEquals(19, again.sweep().reused());
    }

    @Test
    void theMlpMatchesTheResNetsParameterCount() {
        long resnet = Recipe.parameters("resnet:blocks=1-1-1,width=8,classes=10,in=1");
        int h = Recipe.hiddenFor(resnet, 784, 10);
        long mlp = 784L * h + h + (long) h * h + h + 10L * h + 10;
        assertTrue(Math.abs(mlp - resnet) < 0.05 * resnet, resnet + " vs " + mlp);
    }
}
