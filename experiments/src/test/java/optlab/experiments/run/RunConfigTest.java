package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
import optlab.tensor.DType;
import org.junit.jupiter.api.Test;

/** Config parsing: defaults, every error names the JSON path of its field, and toJson reads back to the same run. */
class RunConfigTest {
    static final String MINIMAL = """
            {"model": "mlp:8-16-3", "data": {"source": "gaussian-mixture"}, "optimizer": "sgd:lr=0.1", "steps": 10}
            """;

    /** MINIMAL with one top-level field replaced (JSON text of the value). */
    static ObjectNode with(String field, String valueJson) {
        ObjectNode root = RunConfig.readTree(MINIMAL);
        root.set(field, RunConfig.readTree("{\"v\": " + valueJson + "}").get("v"));
        return root;
    }

    static ConfigException rejects(ObjectNode root) {
        return assertThrows(ConfigException.class, () -> RunConfig.parse(root));
    }

    @Test
    void defaults() {
        RunConfig c = RunConfig.parse(RunConfig.readTree(MINIMAL));
        assertEquals("run", c.name());
        assertEquals(DType.F32, c.dtype());
        assertEquals(InitScheme.PYTORCH, c.initScheme());
        assertNull(c.initFrom());
        assertEquals(LossKind.CROSS_ENTROPY, c.loss());
        assertEquals(128, c.batchSize());
        assertTrue(c.shuffle());
        assertEquals(10, c.steps());
        assertEquals(0, c.epochs());
        assertEquals(0.1, c.optimizer().lr());
        assertEquals("constant", c.schedule().name());
        assertEquals(Path.of("runs/run"), c.out());
        assertEquals(new DataSpec.Mixture(3, 8, 4, 1, 0, 1024, 512), c.data());
    }

    @Test
    void optimizerObjectErrorsNameTheHyperparameter() {
        ConfigException e = rejects(with("optimizer", "{\"name\": \"sgd\", \"lr\": -1, \"momentum\": 0.9}"));
        assertEquals("optimizer.lr", e.path());
        assertTrue(e.getMessage().startsWith("optimizer.lr: "), e.getMessage());
        assertEquals("optimizer.betaz", rejects(with("optimizer", "{\"name\": \"adam\", \"betaz\": [0.9, 0.99]}")).path());
        assertEquals("optimizer.momentum", rejects(with("optimizer", "{\"name\": \"sgd\", \"momentum\": \"high\"}")).path());
        assertEquals("optimizer.name", rejects(with("optimizer", "{\"name\": \"lbfgs\"}")).path());
        assertEquals("optimizer", rejects(with("optimizer", "\"sgd:lr=abc\"")).path());
    }

    @Test
    void optimizerObjectAndSpecStringAgree() {
        RunConfig a = RunConfig.parse(with("optimizer", "{\"name\": \"adam\", \"lr\": 0.01, \"betas\": [0.8, 0.9]}"));
        RunConfig b = RunConfig.parse(with("optimizer", "\"adam:lr=0.01,betas=(0.8,0.9)\""));
        assertEquals(a.optimizer(), b.optimizer());
    }

    @Test
    void unknownFieldsAreRejectedWithTheirPath() {
        assertEquals("modle", rejects(with("modle", "\"mlp:8-3\"")).path());
        ObjectNode root = with("eval", "{\"every_steps\": 5, \"evry\": 1}");
        assertEquals("eval.evry", rejects(root).path());
        assertEquals("data.clases", rejects(with("data", "{\"source\": \"gaussian-mixture\", \"clases\": 3}")).path());
        assertEquals("schedule.gama", rejects(with("schedule", "{\"name\": \"step\", \"step_size\": 3, \"gama\": 0.5}")).path());
        assertEquals("init.form", rejects(with("init", "{\"form\": \"w.safetensors\"}")).path());
    }

    @Test
    void invalidValuesNameTheirPath() {
        assertEquals("batch_size", rejects(with("batch_size", "0")).path());
        assertEquals("batch_size", rejects(with("batch_size", "\"64\"")).path());
        assertEquals("batch_size", rejects(with("batch_size", "1.5")).path());
        assertEquals("shuffle", rejects(with("shuffle", "\"no\"")).path());
        assertEquals("model", rejects(with("model", "\"mlp:8-x-3\"")).path());
        assertEquals("dtype", rejects(with("dtype", "\"f16\"")).path());
        assertEquals("loss", rejects(with("loss", "\"hinge\"")).path());
        assertEquals("init", rejects(with("init", "\"xavier\"")).path());
        assertEquals("data.noise", rejects(with("data", "{\"source\": \"gaussian-mixture\", \"noise\": -1}")).path());
        assertEquals("schedule.name", rejects(with("schedule", "\"linear\"")).path());
        assertEquals("schedule.step_size", rejects(with("schedule", "{\"name\": \"step\"}")).path());
        assertEquals("parameterization", rejects(with("parameterization", "\"sp\"")).path());
        assertEquals("name", rejects(with("name", "\"../escape\"")).path());
        assertEquals("threads", rejects(with("threads", "0")).path());
    }

    @Test
    void parameterizationsAsSpecOrObjectWithAutomaticDtype() {
        RunConfig c = RunConfig.parse(RunConfig.readTree(MINIMAL));
        assertEquals(Parameterization.STANDARD, c.parameterization());
        ObjectNode root = with("parameterization", "\"mup:gamma0=0.001\"");
        root.put("dtype", "auto");
        c = RunConfig.parse(root);
        assertEquals(Parameterization.mup(1e-3), c.parameterization());
        assertEquals(DType.F64, c.dtype());
        assertEquals(c, RunConfig.parse(c.toJson()));
        assertEquals("mup:gamma0=0.001", c.toJson().get("parameterization").asText());
        assertEquals("f64", c.toJson().get("dtype").asText());
        root = with("parameterization", "{\"kind\": \"ntk\", \"gamma0\": 10}");
        root.put("dtype", "auto");
        c = RunConfig.parse(root);
        assertEquals(Parameterization.ntk(10), c.parameterization());
        assertEquals(DType.F32, c.dtype());
        assertEquals(Parameterization.mup(1), RunConfig.parse(with("parameterization", "\"mup\"")).parameterization());
        // Errors name the field.
        assertEquals("parameterization", rejects(with("parameterization", "\"mup:gamma0=-1\"")).path());
        assertEquals("parameterization", rejects(with("parameterization", "\"mup:gamma=1\"")).path());
        assertEquals("parameterization", rejects(with("parameterization", "3")).path());
        assertEquals("parameterization", rejects(with("parameterization", "{\"kind\": \"xx\"}")).path());
        assertEquals("parameterization.gamma0", rejects(with("parameterization", "{\"kind\": \"mup\", \"gamma0\": 0}")).path());
        assertEquals("parameterization.g", rejects(with("parameterization", "{\"kind\": \"mup\", \"g\": 1}")).path());
        root = with("parameterization", "\"ntk:gamma0=1\"");
        root.put("optimizer", "path-sgd:lr=0.1");
        assertEquals("optimizer", rejects(root).path());
        root = with("parameterization", "\"mup:gamma0=1\"");
        root.put("init", "he");
        ConfigException e = rejects(root);
        assertEquals("init", e.path());
        assertTrue(e.getMessage().contains("standard"), e.getMessage());
    }

    @Test
    void missingRequiredFieldsAndStepsXorEpochs() {
        ObjectNode root = RunConfig.readTree(MINIMAL);
        root.remove("model");
        assertEquals("model", rejects(root).path());
        root = RunConfig.readTree(MINIMAL);
        root.remove("optimizer");
        assertEquals("optimizer", rejects(root).path());
        root = RunConfig.readTree(MINIMAL);
        root.remove("data");
        assertEquals("data", rejects(root).path());
        assertEquals("epochs", rejects(with("epochs", "2")).path());
        root = RunConfig.readTree(MINIMAL);
        root.remove("steps");
        assertEquals("steps", rejects(root).path());
    }

    @Test
    void badJsonNamesLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.readTree("{\"model\": \n oops}"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertEquals("", assertThrows(ConfigException.class, () -> RunConfig.readTree("[1, 2]")).path());
    }

    @Test
    void toJsonReadsBackToTheSameRun() {
        ObjectNode root = RunConfig.readTree("""
                {"name": "full", "model": "mlp:8-16-3,act=tanh", "dtype": "f64", "init": {"scheme": "he", "from": "w.st"},
                 "data": {"source": "gaussian-mixture", "classes": 4, "dim": 8, "train": 100, "test": 50, "task_seed": 3},
                 "loss": "mse", "batch_size": 10, "shuffle": false,
                 "optimizer": {"name": "adamw", "lr": 0.003, "weight_decay": 0.1},
                 "schedule": {"name": "cosine", "t_max": 50, "eta_min": 0.0001, "warmup_steps": 5},
                 "epochs": 3, "eval": {"every_steps": 7, "at_start": false, "train_samples": 20, "batch_size": 33},
                 "check_every": 9, "seed": -5, "threads": 1, "save_to": "out.safetensors", "out": "somewhere"}
                """);
        RunConfig c = RunConfig.parse(root);
        assertFalse(c.shuffle());
        assertEquals(LossKind.MSE, c.loss());
        assertEquals(Path.of("w.st"), c.initFrom());
        assertEquals(7, c.evalEvery());
        RunConfig again = RunConfig.parse(c.toJson());
        assertEquals(c, again);
        assertEquals(c.toJson(), again.toJson());
    }

    @Test
    void aFolderOfIdxFilesIsAFashionMnistSource(@org.junit.jupiter.api.io.TempDir Path dir) {
        RunConfig c = RunConfig.parse(with("data", "\"" + dir.toString().replace("\\", "\\\\") + "\""));
        assertEquals(new DataSpec.Named("fashion-mnist:" + dir), c.data());
    }
}
