package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One shape for the command line: every recipe under {@code optlab run} with the shared options, the old spelling
 * {@code optlab sweep gamma-eta} as an alias, generic grids under {@code optlab sweep grid}, and one error style
 * (usage and config errors exit 2 with a message, failures exit 1, no stack traces).
 */
class CommandShapeTest {
    static final String MIXTURE = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 48, \"test\": 16}";

    @TempDir
    Path tmp;

    /** [exit status, stdout, stderr] of the launcher as main() builds it. */
    static Object[] run(String... args) {
        return GammaEtaCommandTest.run(args);
    }

    @Test
    void everyRecipeIsUnderRunWithTheSharedOptions() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("run", "--help"));
        for (String recipe : new String[] {"path-sgd", "path-geometry", "gamma-eta", "gamma-toy", "distance-nets",
            "integrators"}) {
            assertTrue(out.toString().contains(recipe), recipe + " in:\n" + out);
            StringWriter help = new StringWriter();
            CommandLine c = Main.commandLine();
            c.setOut(new PrintWriter(help));
            assertEquals(0, c.execute("run", recipe, "--help"));
            for (String opt : new String[] {"--preset", "--out", "--data", "--workers", "--seed"}) {
                assertTrue(help.toString().contains(opt), recipe + " takes " + opt + ":\n" + help);
            }
        }
    }

    @Test
    void sweepGammaEtaIsAnAliasOfRunGammaEta() {
        Object[] a = run("sweep", "gamma-eta", "--steps", "300", "--print-spec");
        Object[] b = run("run", "gamma-eta", "--steps", "300", "--print-spec");
        assertEquals(0, a[0], (String) a[2]);
        assertEquals(a[1], b[1]);
    }

    @Test
    void oneErrorStyle() {
        Object[] usage = run("run", "path-sgd", "--no-such-flag");
        assertEquals(2, usage[0]);
        assertTrue(((String) usage[2]).contains("Unknown option"), (String) usage[2]);
        Object[] badValue = run("run", "gamma-toy", "--depth", "2", "--data", "mnist:/x");
        assertEquals(2, badValue[0]);
        assertTrue(((String) badValue[2]).contains("does not take --data"), (String) badValue[2]);
        Object[] badConfig = run("sweep", "grid", tmp.resolve("missing.json").toString(), "--vary", "seed=1");
        assertEquals(1, badConfig[0], "a missing file is a failure, named");
        assertTrue(((String) badConfig[2]).contains("missing.json"), (String) badConfig[2]);
        for (Object[] r : new Object[][] {usage, badValue, badConfig}) {
            assertFalse(((String) r[2]).contains("\tat "), "no stack trace:\n" + r[2]);
        }
    }

    @Test
    void gridSweepsAnyTrainConfigAndResumes() throws Exception {
        Path config = tmp.resolve("c.json");
        Files.writeString(config, "{\"model\": \"mlp:8-8-3\", \"data\": " + MIXTURE + ", \"batch_size\": 16,"
                + " \"optimizer\": \"sgd:lr=0.1\", \"steps\": 6}");
        Path out = tmp.resolve("grid");
        String[] args = {"sweep", "grid", config.toString(), "--vary", "optimizer=[\"sgd:lr=0.1\",\"heun:lr=0.1\"]",
            "--vary", "seed=0,1", "--out", out.toString(), "--workers", "2"};
        Object[] r = run(args);
        assertEquals(0, r[0], r[1] + "\n" + r[2]);
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(4, s.get("runs").size());
        for (JsonNode run : s.get("runs")) {
            assertEquals("completed", run.get("status").asText(), run.toString());
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve(run.get("id").asText()).resolve("steps.csv")));
        }
        Object[] again = run(args);
        assertEquals(0, again[0]);
        assertTrue(((String) again[1]).contains("4 already done"), (String) again[1]);
        Object[] bad = run("sweep", "grid", config.toString(), "--vary", "batch_size=0", "--out", tmp.resolve("b").toString());
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("batch_size"), (String) bad[2]);
    }
}
