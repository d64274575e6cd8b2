package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.pathsgd.Method;
import optlab.experiments.pathsgd.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code optlab run path-sgd}: help, presets and overrides, bad options. */
class PathSgdCommandTest {
    static Settings settings(String... args) {
        PathSgdCommand cmd = new PathSgdCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.settings();
    }

    @Test
    void helpListsPresetsAndOptionsAndRunListsTheRecipe() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("run", "path-sgd", "--help"));
        for (String s : new String[] {"--preset", "--data", "--out", "--dropout", "--workers", "--epochs", "--alphas",
            "quick", "paper", "svhn:DIR", "validation"}) {
            assertTrue(out.toString().contains(s), s + " in help:\n" + out);
        }
        StringWriter list = new StringWriter();
        CommandLine run = new CommandLine(new Main());
        run.setOut(new PrintWriter(list));
        assertEquals(0, run.execute("run", "--help"));
        assertTrue(list.toString().contains("path-sgd"), list.toString());
    }

    @Test
    void presetsAndOverrides() {
        Settings quick = settings();
        assertEquals("quick", quick.preset());
        assertEquals(500, quick.hidden());
        assertEquals(List.of(Method.PATH_SGD, Method.SGD, Method.ADAGRAD), quick.methods());
        assertEquals(100, quick.batch());
        assertEquals(10_000, quick.validation());
        assertEquals(Path.of("runs", "path-sgd-quick"), quick.out());
        assertEquals("fashion-mnist", quick.data().asText());

        Settings paper = settings("--preset", "paper");
        assertEquals(4000, paper.hidden());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), paper.alphas().get(Method.SGD));
        assertEquals(Integer.MAX_VALUE, paper.evalTrainSamples());

        Settings s = settings("--preset", "paper", "--alphas", "2,3", "--methods", "sgd,path-sgd", "--epochs", "7",
                "--hidden", "64", "--dropout", "0.5", "--workers", "3", "--units", "10", "--sigma", "2", "--seed", "4",
                "--data", "cifar10:/x");
        assertEquals(List.of(Method.SGD, Method.PATH_SGD), s.methods());
        assertEquals(List.of(2, 3), s.alphas().get(Method.PATH_SGD));
        assertEquals(7, s.epochs());
        assertEquals(64, s.hidden());
        assertEquals(0.5, s.dropout());
        assertEquals(3, s.workers());
        assertEquals(10, s.unbalancing().units());
        assertEquals(2.0, s.unbalancing().sigma());
        assertEquals(4, s.seed());
        assertEquals(Path.of("runs", "path-sgd-paper-dropout"), s.out());
    }

    @Test
    void badOptionsExitWithStatusTwoAndSayWhy() {
        for (String[] args : new String[][] {{"--preset", "huge"}, {"--methods", "lbfgs"}, {"--dropout", "1.5"},
            {"--alphas", "x"}, {"--epochs", "0"}, {"--sigma", "-1"}, {"--data", "imagenet", "--out", "/tmp/optlab-nothing"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code;
            try {
                CommandLine cli = new CommandLine(new Main());
                cli.setErr(new PrintWriter(err, true));
                code = cli.execute(prepend(args));
            } finally {
                System.setErr(old);
            }
            assertEquals(2, code, String.join(" ", args) + ": " + err);
            assertTrue(err.size() > 0, String.join(" ", args));
        }
    }

    private static String[] prepend(String[] args) {
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = "path-sgd";
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
