package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.models.init.InitScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config fields Path-SGD's reproduction adds: the unbalanced init and a held-out validation set. */
class PathRunConfigTest {
    @TempDir
    Path tmp;

    @Test
    void unbalancedInitParsesRoundTripsAndRejectsBadFields() {
        RunConfig c = RunConfig.parse(RunConfigTest.with("init", "\"unbalanced\""));
        assertEquals(InitScheme.GAUSSIAN, c.initScheme());
        assertEquals(Unbalancing.DEFAULT, c.unbalanced());
        assertEquals(c, RunConfig.parse(c.toJson()));

        c = RunConfig.parse(RunConfigTest.with("init", "{\"scheme\": \"gaussian\", \"unbalanced\": {\"units\": 7, \"sigma\": 2.5}}"));
        assertEquals(new Unbalancing(7, 2.5), c.unbalanced());
        assertEquals(c, RunConfig.parse(c.toJson()));
        assertEquals(Unbalancing.DEFAULT, RunConfig.parse(RunConfigTest.with("init", "{\"unbalanced\": true}")).unbalanced());
        assertNull(RunConfig.parse(RunConfigTest.with("init", "{\"unbalanced\": false}")).unbalanced());
        assertNull(RunConfig.parse(RunConfigTest.with("init", "\"gaussian\"")).unbalanced());
        assertEquals(6, new Unbalancing(0, 1).unitsFor(12));
        assertEquals(5, new Unbalancing(5, 1).unitsFor(12));

        assertEquals("init.unbalanced.sigma", RunConfigTest.rejects(RunConfigTest.with("init",
                "{\"unbalanced\": {\"sigma\": -1}}")).path());
        assertEquals("init.unbalanced.units", RunConfigTest.rejects(RunConfigTest.with("init",
                "{\"unbalanced\": {\"units\": 2.5}}")).path());
        assertEquals("init.unbalanced.c", RunConfigTest.rejects(RunConfigTest.with("init",
                "{\"unbalanced\": {\"c\": 2}}")).path());
        assertEquals("init.unbalanced", RunConfigTest.rejects(RunConfigTest.with("init",
                "{\"unbalanced\": \"yes\"}")).path());
        ConfigException both = RunConfigTest.rejects(RunConfigTest.with("init",
                "{\"scheme\": \"unbalanced\", \"from\": \"w.safetensors\"}"));
        assertEquals("init.from", both.path());
        assertTrue(both.getMessage().contains("unbalanced"), both.getMessage());
    }

    @Test
    void trainFlagsSelectPathSgdAndTheUnbalancedInit() throws IOException {
        optlab.experiments.cli.TrainCommand cmd = new optlab.experiments.cli.TrainCommand();
        new picocli.CommandLine(cmd).parseArgs("--model", "mlp:8-16-3", "--data", "fashion-mnist", "--steps", "3",
                "--optimizer", "path-sgd:lr=0.05,p=2", "--init", "unbalanced", "--no-shuffle");
        RunConfig c = cmd.config();
        assertEquals(new optlab.optim.PathSGD(0.05, 2), c.optimizer());
        assertEquals(InitScheme.GAUSSIAN, c.initScheme());
        assertEquals(Unbalancing.DEFAULT, c.unbalanced());

        // Unbalancing and loading weights exclude each other: exit status 2, the message names the flag.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = new picocli.CommandLine(new optlab.experiments.cli.Main()).execute("train", "--model", "mlp:8-16-3",
                    "--data", "fashion-mnist", "--steps", "3", "--optimizer", "sgd:lr=0.1", "--init", "unbalanced",
                    "--init-from", tmp.resolve("w.safetensors").toString(), "--out", tmp.resolve("x").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        assertTrue(err.toString().contains("--init-from") && err.toString().contains("unbalanced"), err.toString());
    }

    @Test
    void validationSplitParsesRoundTripsAndRejectsBadFields() {
        RunConfig c = RunConfig.parse(RunConfigTest.with("data",
                "{\"source\": \"gaussian-mixture\", \"train\": 100, \"validation\": 30}"));
        assertEquals(new DataSpec.HeldOut(new DataSpec.Mixture(3, 8, 4, 1, 0, 100, 512), 30), c.data());
        assertEquals(c, RunConfig.parse(c.toJson()));
        c = RunConfig.parse(RunConfigTest.with("data", "{\"source\": \"fashion-mnist\", \"validation\": 10000}"));
        assertEquals(new DataSpec.HeldOut(new DataSpec.Named("fashion-mnist"), 10000), c.data());
        assertEquals(c, RunConfig.parse(c.toJson()));
        assertEquals(new DataSpec.Named("fashion-mnist"), RunConfig.parse(RunConfigTest.with("data",
                "{\"source\": \"fashion-mnist\", \"validation\": 0}")).data());
        assertEquals("data.validation", RunConfigTest.rejects(RunConfigTest.with("data",
                "{\"source\": \"fashion-mnist\", \"validation\": -5}")).path());
        assertEquals("data.valid", RunConfigTest.rejects(RunConfigTest.with("data",
                "{\"source\": \"fashion-mnist\", \"valid\": 5}")).path());
    }

    @Test
    void aRunWithAValidationSetEvaluatesItAndTrainsOnTheRest() throws IOException {
        Path out = tmp.resolve("val");
        RunConfig c = RunConfig.parse(RunConfig.readTree("""
                {"model": "mlp:8-16-3", "data": {"source": "gaussian-mixture", "train": 96, "test": 32, "validation": 32},
                 "batch_size": 16, "optimizer": "sgd:lr=0.1", "epochs": 2, "threads": 1, "out": "%s"}
                """.formatted(out.toString().replace("\\", "\\\\"))));
        RunResult r = new Trainer(c, new PrintStream(new ByteArrayOutputStream())).run();
        assertEquals(RunResult.Status.COMPLETED, r.status());
        assertEquals(2 * 4, r.stepsDone()); // 96 - 32 = 64 training samples: 4 batches per epoch
        List<String> evals = Files.readAllLines(out.resolve("evals.csv"));
        assertTrue(evals.get(0).startsWith("step,epoch,train_loss,train_acc,test_loss,test_acc,val_loss,val_acc"), evals.get(0));
        assertEquals(1 + 3, evals.size()); // epochs 0, 1, 2
        for (String row : evals.subList(1, evals.size())) {
            String[] cells = row.split(",", -1);
            assertTrue(Double.parseDouble(cells[6]) > 0 && Double.parseDouble(cells[7]) >= 0, row);
        }
        JsonNode s = RunConfig.JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(r.validation().accuracy(), s.path("final").path("val_acc").asDouble());
        assertTrue(r.validation().computed());
    }
}
