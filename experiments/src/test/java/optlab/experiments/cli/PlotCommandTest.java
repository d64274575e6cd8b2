package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PlotCommandTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsEveryOption() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("plot", "--help"));
        for (String option : new String[] {"DIR", "--out", "--x", "--log-y", "--smooth", "--format", "--size"}) {
            assertTrue(out.toString().contains(option), option + " in help:\n" + out);
        }
    }

    @Test
    void writesChosenFormatToPrefixAndRejectsBadOptions() throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("steps.csv"), "step,loss\n0,2.3\n1,2.0\n2,1.7\n");
        Path prefix = tmp.resolve("fig");
        assertEquals(0, new CommandLine(new Main()).execute("plot", run.toString(), "--out", prefix.toString(), "--format", "png"));
        assertTrue(Files.size(tmp.resolve("fig.png")) > 1000);
        assertTrue(Files.notExists(tmp.resolve("fig.svg")));

        assertEquals(0, new CommandLine(new Main()).execute("plot", run.toString(), "--out", tmp.resolve("g.svg").toString()));
        assertTrue(Files.exists(tmp.resolve("g.svg")) && Files.exists(tmp.resolve("g.png")), "--out g.svg names the prefix g");

        assertEquals(0, new CommandLine(new Main()).execute("plot", run.toString()));
        assertTrue(Files.exists(run.resolve("curves.png")) && Files.exists(run.resolve("curves.svg")), "default output in first DIR");

        assertEquals(2, new CommandLine(new Main()).execute("plot", run.toString(), "--x", "minutes"));
        assertEquals(2, new CommandLine(new Main()).execute("plot", run.toString(), "--format", "pdf"));
        assertEquals(2, new CommandLine(new Main()).execute("plot", run.toString(), "--size", "big"));
        assertEquals(2, new CommandLine(new Main()).execute("plot", tmp.resolve("missing").toString()));
    }
}
