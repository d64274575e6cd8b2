package optlab.experiments.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import optlab.experiments.loop.ProbeSpec;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
import optlab.models.zoo.Zoo;
import optlab.optim.Optimizer;
import optlab.tensor.DType;

/**
 * Everything that determines a training run, read from JSON. Field names (snake_case) and defaults:
 * <pre>
 * name "run" · model (required, a Zoo spec) · parameterization "standard" · dtype "f32" | "f64" | "auto"
 * init {"scheme": "pytorch", "from": null, "unbalanced": null}  (or just "he"; "from" loads a safetensors file after
 *   init; "unbalanced": {"units": 0, "sigma": 2} rescales hidden units after init, see {@link Unbalancing}; the
 *   scheme "unbalanced" means "gaussian" with the default unbalancing)
 * data (required: "fashion-mnist", a Sources name, a folder of IDX files, or {"source": "gaussian-mixture", ...};
 *   the object form takes "validation": n to hold the last n training samples out as a validation set)
 * loss "cross_entropy" | "mse" · batch_size 128 · shuffle true (seeded by seed; false: file order)
 * optimizer (required: "sgd:lr=0.1" or {"name": "sgd", "lr": 0.1}) · schedule "constant" (see ScheduleSpec)
 * steps N | epochs N (exactly one) · eval {"every_steps": one epoch (epochs) or steps/10, "at_start": true,
 *   "train_samples": 10000 (first samples of the training set; 0 skips train metrics), "batch_size": batch_size}
 * check_every 100 (steps between parameter NaN/Inf scans; 0: only at evaluations)
 * seed 0 · threads (all cores) · backend "cpu" | "cuda" (GPU kernels; one sentence naming CUDA where it is absent)
 * · save_to null · out "runs/NAME" (name defaults to the out folder's name, else "run")
 * checkpoint_every 0 (N &gt; 0: every N updates save what resuming needs into out/checkpoint, see {@link Checkpoint};
 *   not with probes or geometry, whose own files are not checkpointed)
 * probes [] (e.g. ["timing", {"name": "grad_norms", "every": 50}]; see {@link ProbeSpec})
 * geometry null (true or {"update": true, "random_every": 100, "weight_decay": the optimizer's}: train once to get the
 *   end point w*, then retrace the run from the same init, seed and data order, recording RSI, EB, cos and loLR of
 *   every step against w* into geometry.csv; the probes geometry_fixed, geometry_full, geometry_layers and
 *   straight_line need it; see {@link Trainer})
 * </pre>
 * Unknown fields and bad values fail with a {@link ConfigException} naming the field's path.
 *
 * <p>parameterization: "standard" (PyTorch's layers and the init scheme; the default), "ntk:gamma0=G" or
 * "mup:gamma0=G", or the object {"kind": "mup", "gamma0": 0.01} ({@link Parameterization}): NTK and μP
 * draw N(0, 1) weights with 1/√fan_in (μP readout 1/fan_in) in the forward pass and train the centered
 * output (f_θ − f_θ0)/γ0, so they take no init scheme and no unbalancing (init.from loads the
 * starting weights, and the frozen θ0 is then those weights, so f ≡ 0 at step 0 as without it). dtype "auto" is the
 * parameterization's {@link Parameterization#autoDtype()} (f64 below γ0 = 1e-2), resolved here: the
 * config read back from toJson names the dtype the run used.
 *
 * <p>The optimizer's lr is the learning rate actually applied, under every parameterization: nothing
 * multiplies it by the width. A γ–η sweep computes lr = {@link Parameterization#learningRate}(η0, N)
 * (μP: N·η0, NTK and standard: η0) itself and records η0 beside it.
 */
public record RunConfig(String name, String model, Parameterization parameterization, DType dtype, InitScheme initScheme,
        Unbalancing unbalanced, Path initFrom, DataSpec data, LossKind loss, int batchSize, boolean shuffle, Optimizer optimizer,
        ScheduleSpec schedule, long steps, int epochs, long evalEvery, boolean evalAtStart, int evalTrainSamples,
        int evalBatchSize, long checkEvery, long seed, int threads, String backend, Path saveTo, Path out, List<ProbeSpec> probes,
        ProbeSpec geometry, long checkpointEvery) {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Reads and checks a config file; every error names the file. */
    public static RunConfig read(Path file) throws IOException {
        ObjectNode root = readTree(file);
        try {
            return parse(root);
        } catch (ConfigException e) {
            throw e.in(file);
        }
    }

    /** The JSON tree of a config file; a syntax error names the file, line and column. */
    public static ObjectNode readTree(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file); // bytes, not text: Jackson reports bad UTF-8 with its place
        try {
            return tree(JSON.readTree(bytes));
        } catch (JsonProcessingException e) {
            throw syntax(e).in(file);
        } catch (ConfigException e) {
            throw e.in(file);
        }
    }

    /** The JSON tree of a config text; a syntax error names the line and column. */
    public static ObjectNode readTree(String text) {
        try {
            return tree(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw syntax(e);
        }
    }

    private static ConfigException syntax(JsonProcessingException e) {
        return new ConfigException("", "not valid JSON: " + e.getOriginalMessage() + " at line "
                + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    }

    private static ObjectNode tree(JsonNode node) {
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw new ConfigException("", "expected a JSON object, got " + JsonFields.describe(node));
        }
        return (ObjectNode) node;
    }

    public static RunConfig parse(JsonNode root) {
        JsonFields f = new JsonFields(root, "");
        String out = f.string("out", null);
        String name = f.string("name", null);
        if (name == null) {
            // Unnamed runs take their folder's name, so summaries of a sweep's folders tell themselves apart.
            name = out == null || Path.of(out).getFileName() == null ? "run" : Path.of(out).getFileName().toString();
        } else if (name.isBlank() || !name.matches("[A-Za-z0-9._+-]+") || name.matches("\\.+")) {
            throw new ConfigException("name", "must be letters, digits and . _ + - (it names the output folder), got '" + name + "'");
        }
        String model = f.requiredString("model");
        try {
            Zoo.parse(model);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model", e.getMessage());
        }
        Parameterization parameterization = parameterization(f.node("parameterization"), "parameterization");
        DType dtype = switch (f.string("dtype", "f32").toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "f64", "float64" -> DType.F64;
            case "auto" -> parameterization.autoDtype();
            default -> throw new ConfigException("dtype", "must be f32, f64 or auto");
        };
        InitScheme scheme = InitScheme.PYTORCH;
        Unbalancing unbalanced = null;
        Path initFrom = null;
        JsonNode init = f.node("init");
        if (init != null && init.isTextual()) {
            scheme = scheme(init.asText(), "init");
            unbalanced = Unbalancing.isScheme(init.asText()) ? Unbalancing.DEFAULT : null;
        } else if (init != null) {
            JsonFields i = new JsonFields(init, "init");
            String name0 = i.string("scheme", "pytorch");
            scheme = scheme(name0, "init.scheme");
            unbalanced = Unbalancing.isScheme(name0) ? Unbalancing.DEFAULT : null;
            if (i.has("unbalanced")) {
                unbalanced = Unbalancing.parse(i.node("unbalanced"), i.at("unbalanced"));
            }
            String from = i.string("from", null);
            initFrom = from == null ? null : Path.of(from);
            if (unbalanced != null && initFrom != null) {
                throw new ConfigException("init.from", "cannot be combined with an unbalanced init: the loaded weights"
                        + " would replace the rescaled ones (drop init.unbalanced, or unbalance before saving)");
            }
            i.finish();
        }
        if (parameterization.kind() != Parameterization.Kind.STANDARD) {
            if (scheme != InitScheme.PYTORCH || unbalanced != null) {
                throw new ConfigException(unbalanced != null ? "init.unbalanced" : "init", "the " + parameterization.spec()
                        + " parameterization draws its own N(0, 1) init; init schemes and unbalancing apply to"
                        + " \"standard\" only");
            }
        }
        DataSpec data = DataSpec.parse(f.node("data"), "data");
        LossKind loss = LossKind.parse(f.string("loss", "cross_entropy"), "loss");
        int batch = (int) f.integer("batch_size", 128, 1, Integer.MAX_VALUE);
        boolean shuffle = f.bool("shuffle", true);
        Optimizer optimizer = OptimizerSpec.parse(f.node("optimizer"), "optimizer");
        if (parameterization.kind() != Parameterization.Kind.STANDARD && optimizer.name().equals("path-sgd")) {
            throw new ConfigException("optimizer", "path-sgd's path norms assume PyTorch layers without forward"
                    + " multipliers or centering: use it with the standard parameterization, not " + parameterization.spec());
        }
        ScheduleSpec schedule = ScheduleSpec.parse(f.node("schedule"), "schedule");
        long steps = f.integer("steps", 0, 1, Long.MAX_VALUE);
        int epochs = (int) f.integer("epochs", 0, 1, Integer.MAX_VALUE);
        if ((steps > 0) == (epochs > 0)) {
            throw new ConfigException(steps > 0 ? "epochs" : "steps", "give exactly one of steps and epochs");
        }
        long evalEvery = 0;
        boolean atStart = true;
        int trainSamples = 10_000, evalBatch = batch; // no-grad graphs still hold every activation: keep batches small
        if (f.has("eval")) {
            JsonFields e = new JsonFields(f.node("eval"), "eval");
            evalEvery = e.integer("every_steps", 0, 0, Long.MAX_VALUE);
            atStart = e.bool("at_start", true);
            trainSamples = (int) e.integer("train_samples", trainSamples, 0, Integer.MAX_VALUE);
            evalBatch = (int) e.integer("batch_size", evalBatch, 1, Integer.MAX_VALUE);
            e.finish();
        }
        long checkEvery = f.integer("check_every", 100, 0, Long.MAX_VALUE);
        long seed = f.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        int threads = (int) f.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 4096);
        String backend = f.string("backend", "cpu").toLowerCase(Locale.ROOT);
        if (!backend.equals("cpu") && !backend.equals("cuda")) {
            throw new ConfigException("backend", "must be cpu or cuda, got \"" + backend + "\"");
        }
        String saveTo = f.string("save_to", null);
        List<ProbeSpec> probes = ProbeSpec.parseList(f.node("probes"), "probes");
        ProbeSpec geometry = geometry(f.node("geometry"));
        for (int i = 0; i < probes.size(); i++) {
            String kind = probes.get(i).name();
            if (kind.equals("geometry")) {
                throw new ConfigException("probes[" + i + "]", "a run's geometry probe is its \"geometry\" section"
                        + " (it trains twice to know the end point): write \"geometry\": {...} instead");
            }
            if (geometry == null && ProbeSpec.NEEDS_END_POINT.contains(kind)) {
                throw new ConfigException("probes[" + i + "]", kind + " measures against the end point w*: add"
                        + " \"geometry\": true (flag --geometry) so the run knows it");
            }
        }
        long checkpointEvery = f.integer("checkpoint_every", 0, 0, Long.MAX_VALUE);
        if (checkpointEvery > 0 && (geometry != null || !probes.isEmpty())) {
            throw new ConfigException("checkpoint_every", "a run with " + (geometry != null ? "geometry" : "probes "
                    + probes.stream().map(ProbeSpec::name).toList()) + " cannot be checkpointed: the probes' own files"
                    + " are not saved with it; drop checkpoint_every or the probes");
        }
        f.finish();
        return new RunConfig(name, model, parameterization, dtype, scheme, unbalanced, initFrom, data, loss, batch, shuffle,
                optimizer, schedule, steps, epochs, evalEvery, atStart, trainSamples, evalBatch, checkEvery, seed,
                threads, backend, saveTo == null ? null : Path.of(saveTo), Path.of(out == null ? "runs/" + name : out),
                List.copyOf(probes), geometry, checkpointEvery);
    }

    /** The "geometry" section: absent, null or false (off), true (defaults) or an object of options. */
    private static ProbeSpec geometry(JsonNode node) {
        if (node == null || node.isNull() || (node.isBoolean() && !node.asBoolean())) {
            return null;
        }
        if (node.isBoolean()) {
            return ProbeSpec.parse(JsonNodeFactory.instance.objectNode().put("name", "geometry"), "geometry");
        }
        if (!node.isObject() || node.has("name")) {
            throw new ConfigException("geometry", "expected true or an object of options (update, random_every,"
                    + " weight_decay), got " + JsonFields.describe(node));
        }
        ObjectNode o = ((ObjectNode) node).deepCopy();
        o.put("name", "geometry");
        return ProbeSpec.parse(o, "geometry");
    }

    /** A spec string ("mup:gamma0=0.01") or an object {"kind": "mup", "gamma0": 0.01}; absent: standard. */
    private static Parameterization parameterization(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Parameterization.STANDARD;
        }
        try {
            if (node.isTextual()) {
                return Parameterization.parse(node.asText());
            }
            if (node.isObject()) {
                JsonFields p = new JsonFields(node, path);
                String kind = p.requiredString("kind");
                double gamma0 = p.real("gamma0", 1, Double.MIN_VALUE, Double.MAX_VALUE);
                p.finish();
                return Parameterization.parse(kind + ":gamma0=" + gamma0);
            }
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        }
        throw new ConfigException(path, "expected \"standard\", \"ntk:gamma0=G\", \"mup:gamma0=G\" or"
                + " {\"kind\": \"mup\", \"gamma0\": G}, got " + JsonFields.describe(node));
    }

    private static InitScheme scheme(String s, String path) {
        if (Unbalancing.isScheme(s)) {
            return InitScheme.GAUSSIAN; // the paper's balanced init, then rescaled
        }
        try {
            return InitScheme.byName(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        }
    }

    /** This config as JSON that {@link #parse} reads back into an equal run (written into summary.json). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("model", model);
        o.put("parameterization", parameterization.spec());
        o.put("dtype", dtype.name().toLowerCase(Locale.ROOT));
        ObjectNode init = o.putObject("init");
        init.put("scheme", initScheme.name().toLowerCase(Locale.ROOT));
        if (unbalanced != null) {
            init.set("unbalanced", unbalanced.toJson());
        }
        init.put("from", initFrom == null ? null : initFrom.toString());
        o.set("data", data.toJson());
        o.put("loss", loss.key());
        o.put("batch_size", batchSize);
        o.put("shuffle", shuffle);
        o.put("optimizer", optimizer.spec());
        o.set("schedule", schedule.toJson());
        if (steps > 0) {
            o.put("steps", steps);
        } else {
            o.put("epochs", epochs);
        }
        ObjectNode e = o.putObject("eval");
        e.put("every_steps", evalEvery);
        e.put("at_start", evalAtStart);
        e.put("train_samples", evalTrainSamples);
        e.put("batch_size", evalBatchSize);
        o.put("check_every", checkEvery);
        o.put("seed", seed);
        o.put("threads", threads);
        o.put("backend", backend);
        o.put("save_to", saveTo == null ? null : saveTo.toString());
        o.put("out", out.toString());
        if (!probes.isEmpty()) {
            var list = o.putArray("probes");
            probes.forEach(p -> list.add(p.toJson()));
        }
        if (geometry != null) {
            ObjectNode g = geometry.toJson();
            g.remove("name");
            o.set("geometry", g);
        }
        if (checkpointEvery > 0) {
            o.put("checkpoint_every", checkpointEvery);
        }
        return o;
    }
}
