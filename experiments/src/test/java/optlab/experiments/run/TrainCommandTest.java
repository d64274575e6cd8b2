package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.cli.Main;
import optlab.experiments.cli.TrainCommand;
import optlab.models.init.InitScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code optlab train}: flags override the config file's fields; help; exit codes; a failed run's summary. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    Path configFile() throws IOException {
        Path f = tmp.resolve("run.json");
        Files.writeString(f, """
                {"name": "fromfile", "model": "mlp:8-16-3", "data": {"source": "gaussian-mixture", "train": 64, "test": 32},
                 "batch_size": 32, "optimizer": {"name": "sgd", "lr": 0.1}, "epochs": 2, "seed": 1, "threads": 1,
                 "init": "he", "eval": {"train_samples": 16}}
                """);
        return f;
    }

    static RunConfig parse(String... args) throws IOException {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }

    @Test
    void flagsOverrideTheConfigFile() throws IOException {
        String file = configFile().toString();
        RunConfig base = parse(file);
        assertEquals("mlp:8-16-3", base.model());
        assertEquals(2, base.epochs());
        assertTrue(base.shuffle());
        RunConfig c = parse(file, "--model", "mlp:8-4-3", "--batch", "8", "--steps", "5", "--no-shuffle", "--seed", "7",
                "--optimizer", "adam:lr=0.01", "--threads", "2", "--init-from", "w.safetensors", "--save-to", "o.safetensors",
                "--out", tmp.resolve("o").toString(), "--eval-every", "3");
        assertEquals("mlp:8-4-3", c.model());
        assertEquals(8, c.batchSize());
        assertEquals(5, c.steps());
        assertEquals(0, c.epochs()); // --steps replaces the file's epochs
        assertFalse(c.shuffle());
        assertEquals(7, c.seed());
        assertEquals("adam", c.optimizer().name());
        assertEquals(0.01, c.optimizer().lr());
        assertEquals(2, c.threads());
        assertEquals(Path.of("w.safetensors"), c.initFrom());
        assertEquals(InitScheme.HE, c.initScheme()); // the file's scheme survives --init-from
        assertEquals(Path.of("o.safetensors"), c.saveTo());
        assertEquals(tmp.resolve("o"), c.out());
        assertEquals(3, c.evalEvery());
        assertEquals(16, c.evalTrainSamples()); // the rest of the file's eval block is kept
        // Untouched fields keep the file's values.
        assertEquals("fromfile", c.name());
        assertEquals(base.data(), c.data());
        assertEquals(3, parse(file, "--epochs", "3").epochs());
        assertEquals("steps", org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> parse(file, "--epochs", "3", "--steps", "4")).path());
    }

    @Test
    void flagsAloneMakeARun() throws IOException {
        RunConfig c = parse("--model", "mlp:784-256-10", "--data", "fashion-mnist", "--optimizer", "sgd:lr=0.1",
                "--batch", "100", "--epochs", "1", "--out", "runs/smoke");
        assertEquals(new DataSpec.Named("fashion-mnist"), c.data());
        assertEquals(Path.of("runs/smoke"), c.out());
        c = parse("--model", "mlp:784-256-10", "--data", "fashion-mnist", "--optimizer", "sgd:lr=0.1", "--epochs", "1",
                "--parameterization", "mup:gamma0=1e-3", "--dtype", "auto");
        assertEquals(optlab.models.param.Parameterization.mup(1e-3), c.parameterization());
        assertEquals(optlab.tensor.DType.F64, c.dtype());
        assertEquals("parameterization", org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> parse("--model", "mlp:8-3", "--data", "fashion-mnist", "--optimizer", "sgd:lr=0.1", "--epochs", "1",
                        "--parameterization", "mup:gamma0=0")).path());
    }

    @Test
    void helpAndExitCodes() throws IOException {
        StringWriter help = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(help));
        assertEquals(0, cli.execute("train", "--help"));
        for (String flag : new String[] {"--model", "--optimizer", "--data", "--batch", "--init-from", "--no-shuffle",
                "--steps", "--epochs", "--seed", "--threads", "--save-to", "--out"}) {
            assertTrue(help.toString().contains(flag), flag);
        }
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured));
        try {
            assertEquals(2, new CommandLine(new Main()).execute("train", configFile().toString(), "--optimizer", "sgd:lr=-1"));
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString().contains("optimizer"), captured.toString());
    }

    @Test
    void aRunThatFailsSaysSoInItsSummary() throws IOException {
        Path out = tmp.resolve("failed");
        RunConfig c = parse(configFile().toString(), "--init-from", tmp.resolve("missing.safetensors").toString(),
                "--out", out.toString());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> new Trainer(c, quiet).run());
        var summary = RunConfig.JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("failed", summary.get("status").asText());
        assertTrue(summary.get("error").asText().contains("missing.safetensors"), summary.toString());
    }
}
