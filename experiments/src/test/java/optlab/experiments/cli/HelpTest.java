package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line explains itself: every command's {@code --help} ends with a worked example, the root help lists
 * the exit codes, {@code optlab completion} prints a bash completion script that knows the commands and options,
 * and a diverged training run really exits 3.
 */
class HelpTest {
    @TempDir
    Path tmp;

    static List<CommandLine> all(CommandLine cli) {
        List<CommandLine> out = new ArrayList<>(List.of(cli));
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getParent() == cli) {
                out.addAll(all(sub));
            }
        }
        return out;
    }

    static String help(CommandLine c) {
        StringWriter w = new StringWriter();
        c.usage(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void everyCommandsHelpHasAWorkedExample() {
        List<CommandLine> commands = all(Main.commandLine());
        assertTrue(commands.size() >= 19, "commands: " + commands.size());
        for (CommandLine c : commands) {
            String text = help(c);
            String name = c.getCommandSpec().qualifiedName();
            assertTrue(text.contains("Example"), name + " --help has no example:\n" + text);
            assertTrue(text.contains("optlab ") || text.contains("source <(optlab"), name + ": example names no command");
        }
        HelpExamples.EXAMPLES.forEach((name, lines) -> lines.forEach(l ->
                assertTrue(l.length() <= 78, name + ": picocli would wrap this example line: " + l)));
    }

    @Test
    void rootHelpListsTheExitCodes() {
        String text = help(Main.commandLine());
        for (String code : new String[] {"0   done", "1   failed", "2   usage or config error", "3   diverged"}) {
            assertTrue(text.contains(code), "'" + code + "' in:\n" + text);
        }
        assertEquals(3, Main.DIVERGED);
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        Object[] r = GammaEtaCommandTest.run("completion");
        assertEquals(0, r[0], (String) r[2]);
        String script = (String) r[1];
        assertTrue(script.contains("complete -F"), script.substring(0, Math.min(500, script.length())));
        for (String word : new String[] {"train", "path-sgd", "step-compare", "--model", "--optimizer", "--preset"}) {
            assertTrue(script.contains(word), word + " missing from the completion script");
        }
    }

    @Test
    void aDivergedTrainRunExits3() throws Exception {
        Path config = tmp.resolve("diverge.json");
        Files.writeString(config, """
                {"model": "mlp:8-16-3", "optimizer": "sgd:lr=1e30", "batch_size": 16, "steps": 30, "threads": 1,
                 "data": {"source": "gaussian-mixture", "classes": 3, "dim": 8, "train": 64, "test": 16}}""");
        Object[] r = GammaEtaCommandTest.run("train", config.toString(), "--out", tmp.resolve("run").toString(), "--no-plot");
        assertEquals(3, r[0], "stdout:\n" + r[1] + "\nstderr:\n" + r[2]);
        assertTrue(Files.readString(tmp.resolve("run/summary.json")).contains("\"diverged\""));
    }
}
