package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code optlab sweep gamma-eta}: help, the spec a preset and flags make, and bad options (exit status 2). */
class GammaEtaCommandTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsPresetsAndOptions() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("sweep", "gamma-eta", "--help"));
        for (String s : new String[] {"--preset", "--out", "--workers", "--loss", "--decades-below", "--gamma-range",
                "quick", "paper", "summary.json", "phase.png"}) {
            assertTrue(out.toString().contains(s), s + " in help:\n" + out);
        }
        StringWriter top = new StringWriter();
        CommandLine sweep = new CommandLine(new Main());
        sweep.setOut(new PrintWriter(top));
        assertEquals(0, sweep.execute("sweep", "--help"));
        assertTrue(top.toString().contains("gamma-eta"), top.toString());
    }

    /** Runs the command with stdout and stderr captured: [exit status, stdout, stderr]. */
    static Object[] run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine(); // as main() builds it, with optlab's error handling
            cli.setErr(new PrintWriter(System.err, true));
            cli.setOut(new PrintWriter(System.out, true));
            int code = cli.execute(args);
            return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void presetAndFlagsMakeTheSpec() throws Exception {
        Object[] r = run("sweep", "gamma-eta", "--preset", "quick", "--steps", "500", "--gamma-range", "-2:1",
                "--decades-below", "2", "--width", "64", "--test-samples", "500", "--print-spec");
        assertEquals(0, r[0], (String) r[2]);
        JsonNode spec = new ObjectMapper().readTree((String) r[1]);
        assertEquals("mlp:32-64-64-1", spec.path("run").path("model").asText());
        assertEquals(500, spec.path("run").path("steps").asInt());
        assertEquals(500, spec.path("run").path("test_samples").asInt());
        assertEquals("mup", spec.path("run").path("parameterization").asText());
        assertEquals(-2.0, spec.path("gamma0").path("from").asDouble());
        assertEquals(1.0, spec.path("gamma0").path("to").asDouble());
        assertEquals(2, spec.path("eta0").path("decades_below").asInt());

        Object[] paper = run("sweep", "gamma-eta", "--preset", "paper", "--arch", "cnn", "--width", "16", "--loss", "ce",
                "--ce-to-floor", "--eta-floor", "-8", "--print-spec");
        assertEquals(0, paper[0], (String) paper[2]);
        JsonNode p = new ObjectMapper().readTree((String) paper[1]);
        assertEquals("cnn:in=1x28x28,conv=16-32,fc=128,pool=avg,pad=valid", p.path("run").path("model").asText());
        assertEquals("ce", p.path("run").path("loss").asText());
        assertTrue(p.path("eta0").path("ce_to_floor").asBoolean());
        assertEquals(-8.0, p.path("eta0").path("floor").asDouble());
        assertEquals(-5.0, p.path("gamma0").path("from").asDouble());
    }

    @Test
    void badOptionsExitTwoWithAMessage() {
        String[][] bad = {
            {"--preset", "huge"}, {"--arch", "rnn"}, {"--gamma-range", "3"}, {"--gamma-range", "a:b"},
            {"--loss", "hinge"}, {"--workers", "0"}, {"--steps", "-1"}, {"--width", "0"}, {"--batch", "0"},
            {"--test-samples", "0"},
            {"--loss", "ce"}, // cross-entropy on the teacher-student regression task
            {"--eta-floor", "5"}, // above the top
        };
        for (String[] b : bad) {
            String[] args = new String[b.length + 5];
            args[0] = "sweep";
            args[1] = "gamma-eta";
            System.arraycopy(b, 0, args, 2, b.length);
            args[b.length + 2] = "--out";
            args[b.length + 3] = tmp.resolve("x").toString();
            args[b.length + 4] = "--decades-below=1";
            Object[] r = run(args);
            assertEquals(2, r[0], String.join(" ", b) + ": " + r[2]);
            assertTrue(((String) r[2]).startsWith("optlab sweep gamma-eta: "), String.join(" ", b) + ": " + r[2]);
        }
        Object[] unknown = run("sweep", "gamma-eta", "--bogus");
        assertEquals(2, unknown[0]);
    }
}
