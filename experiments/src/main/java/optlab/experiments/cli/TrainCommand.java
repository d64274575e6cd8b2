package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.run.ConfigException;
import optlab.experiments.run.RunConfig;
import optlab.experiments.run.RunResult;
import optlab.experiments.run.Runs;
import optlab.experiments.run.Trainer;
import optlab.tensor.backend.BackendUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code optlab train}: one reproducible training run from a JSON config, flags, or both. Each flag overwrites
 * its config field before the config is checked, so a bad flag is reported like a bad field.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a model and writes steps.csv, evals.csv and summary.json into the output folder.",
                "Flags override the fields of CONFIG. Exit status: 0 completed, 3 diverged, 1 failed, 2 bad config."},
        footer = {"", "Example:", "  optlab train --model mlp:784-256-10 --data fashion-mnist --optimizer sgd:lr=0.1 \\",
                "      --batch 100 --epochs 1 --out runs/smoke"})
public final class TrainCommand implements Callable<Integer> {

    /** The flag that sets a config field, for error messages. */
    private static final java.util.Map<String, String> FLAGS = java.util.Map.ofEntries(
            java.util.Map.entry("name", "--name"), java.util.Map.entry("model", "--model"),
            java.util.Map.entry("optimizer", "--optimizer"), java.util.Map.entry("schedule", "--schedule"),
            java.util.Map.entry("data", "--data"), java.util.Map.entry("loss", "--loss"),
            java.util.Map.entry("batch_size", "--batch"), java.util.Map.entry("init", "--init"),
            java.util.Map.entry("init.scheme", "--init"), java.util.Map.entry("init.unbalanced", "--init"),
            java.util.Map.entry("init.from", "--init-from"), java.util.Map.entry("steps", "--steps"),
            java.util.Map.entry("epochs", "--epochs"), java.util.Map.entry("eval.every_steps", "--eval-every"),
            java.util.Map.entry("seed", "--seed"), java.util.Map.entry("threads", "--threads"),
            java.util.Map.entry("backend", "--backend"),
            java.util.Map.entry("dtype", "--dtype"), java.util.Map.entry("parameterization", "--parameterization"),
            java.util.Map.entry("parameterization.gamma0", "--parameterization"), java.util.Map.entry("geometry", "--geometry"),
            java.util.Map.entry("checkpoint_every", "--checkpoint-every"));

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.json", description = "JSON run config: model, data, optimizer, steps or epochs, ... (see optlab.experiments.run.RunConfig).")
    Path configFile;

    @Option(names = "--name", paramLabel = "NAME", description = "Run name (default folder runs/NAME).")
    String name;

    @Option(names = "--model", paramLabel = "SPEC", description = "Zoo spec, e.g. mlp:784-4000-4000-10.")
    String model;

    @Option(names = "--optimizer", paramLabel = "NAME:key=value,...",
            description = "torch.optim name and arguments, e.g. sgd:lr=0.05,momentum=0.9 or adamw:lr=1e-3; path-sgd:lr=0.01,p=2.")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", description = "constant, step, cosine or inverse_time (defaults).")
    String schedule;

    @Option(names = "--data", paramLabel = "SOURCE", description = "fashion-mnist, a folder of IDX files, cifar10:DIR, ...")
    String data;

    @Option(names = "--loss", paramLabel = "KIND", description = "cross_entropy (default) or mse (on one-hot targets).")
    String loss;

    @Option(names = "--batch", paramLabel = "B", description = "Mini-batch size.")
    Integer batch;

    @Option(names = "--init", paramLabel = "SCHEME", description = {"pytorch (default), he, gaussian, zeros, or unbalanced:",
            "gaussian N(0, 1/fan_in) then half of each hidden layer's units rescaled by log-normal factors",
            "(sigma 2; Path-SGD's unbalanced init; set units/sigma in the config's init.unbalanced)."})
    String init;

    @Option(names = "--init-from", paramLabel = "FILE", description = "Load initial weights from a safetensors file.")
    Path initFrom;

    @Option(names = "--no-shuffle", description = "File order: batch k is samples k*B .. (k+1)*B-1.")
    boolean noShuffle;

    @Option(names = "--steps", paramLabel = "N", description = "Number of updates (replaces epochs).")
    Long steps;

    @Option(names = "--epochs", paramLabel = "N", description = "Number of epochs (replaces steps).")
    Integer epochs;

    @Option(names = "--eval-every", paramLabel = "STEPS", description = "Evaluation cadence in steps.")
    Long evalEvery;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of init, shuffling and dropout.")
    Long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Kernel worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--backend", paramLabel = "cpu|cuda", description = "Kernels: cpu (default) or cuda (GPU: cuBLAS and"
            + " run-time-compiled kernels; fails with one sentence where CUDA is absent).")
    String backend;

    @Option(names = "--dtype", paramLabel = "f32|f64|auto",
            description = "Precision of parameters and data; auto: f64 below gamma0 = 1e-2, else f32.")
    String dtype;

    @Option(names = "--parameterization", paramLabel = "standard|ntk:gamma0=G|mup:gamma0=G",
            description = "standard (default), or NTK / muP with output multiplier 1/gamma0, centered; the optimizer's lr"
                    + " is applied as given (muP sweeps use lr = N*eta0).")
    String parameterization;

    @Option(names = "--geometry", description = {"Optimization-path geometry: train to the end point w*, then retrace the",
            "run (same init, seed, data order; checked bit for bit) writing RSI, EB, cos and loLR of every step",
            "against w* into geometry.csv (config \"geometry\": {...} for options). Twice the training time."})
    boolean geometry;

    @Option(names = "--save-to", paramLabel = "FILE", description = "Save the final weights as safetensors.")
    Path saveTo;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/NAME).")
    Path out;

    @Option(names = "--probe", paramLabel = "PROBE", description = "Attach a probe (repeatable): grad_norms[:every=N], "
            + "hessian_top[:samples=N,iterations=K], optimizer_state, path_norm[:p=P], timing; each writes its own file"
            + " in the run folder. Adds to the config's \"probes\".")
    List<String> probes;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = {"Every N updates, save what resuming needs",
            "(weights, optimizer state, data order and RNG position) into OUT/checkpoint; see --resume."})
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = {"Continue the run killed in RUN_DIR from its last",
            "checkpoint: its losses are those of the uninterrupted run, bit for bit. CONFIG and flags, if given, must",
            "describe the same run (a checkpoint of another config is refused)."})
    Path resume;

    @Option(names = "--no-plot", description = "Do not draw the learning curves (curves.png, curves.svg) into the output folder.")
    boolean noPlot;

    @Override
    public Integer call() {
        if (resume != null) {
            return resume();
        }
        RunConfig config;
        try {
            config = config();
        } catch (IOException e) {
            System.err.println("optlab train: cannot read " + configFile + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()));
            return 2;
        } catch (ConfigException e) {
            return badConfig(e);
        }
        return train(config, false);
    }

    /** --resume: the run in the folder, from its checkpoint's config (or CONFIG) with the flags over it. */
    private Integer resume() {
        if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
            System.err.println("optlab train: --out " + out + " and --resume " + resume + " name different folders");
            return 2;
        }
        if (!optlab.experiments.run.Checkpoint.exists(resume)) {
            String status = finalStatus(resume);
            if (status != null) {
                System.out.println("optlab train: " + resume + " holds a run that ended (" + status + "); nothing to resume");
                return status.equals("diverged") ? 3 : 0;
            }
        }
        RunConfig config;
        try {
            optlab.experiments.run.Checkpoint from = optlab.experiments.run.Checkpoint.read(resume);
            ObjectNode root = configFile == null ? from.config().deepCopy() : RunConfig.readTree(configFile);
            if (!root.has("checkpoint_every") && from.config().has("checkpoint_every")) {
                root.set("checkpoint_every", from.config().get("checkpoint_every")); // keep checkpointing
            }
            root = override(root);
            root.put("out", resume.toString());
            config = RunConfig.parse(root);
        } catch (IOException e) {
            System.err.println("optlab train: cannot resume: " + e.getMessage());
            return 2;
        } catch (ConfigException e) {
            return badConfig(e);
        }
        return train(config, true);
    }

    /** Reports a bad config (naming the flag that sets the field, if any); returns the exit status 2. */
    private static int badConfig(ConfigException e) {
        String flag = FLAGS.get(e.path());
        System.err.println("optlab train: " + e.getMessage() + (flag == null ? "" : " (flag " + flag + ")"));
        return 2;
    }

    /** The status in RUN_DIR/summary.json when it is a final one (completed, diverged), else null. */
    private static String finalStatus(Path runDir) {
        try {
            String s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    runDir.resolve(optlab.experiments.run.RunFolder.SUMMARY).toFile()).path("status").asText("");
            return s.equals("completed") || s.equals("diverged") ? s : null;
        } catch (IOException e) {
            return null;
        }
    }

    private Integer train(RunConfig config, boolean resuming) {
        RunResult r;
        try {
            Trainer t = new Trainer(config, System.out);
            r = resuming ? t.resume() : t.run();
        } catch (BackendUnavailableException e) {
            System.err.println("optlab train: " + e.getMessage());
            return 1;
        } catch (ConfigException e) {
            // Found once the model was built (e.g. path-sgd on a ResNet): still the config's fault.
            return badConfig(e);
        } catch (IOException | RuntimeException e) {
            // The summary already says "failed" with this message; a stack trace would bury it.
            System.err.println("optlab train: failed: " + e.getMessage() + " (results so far in " + config.out() + ")");
            return 1;
        }
        System.out.println("results in " + r.out());
        if (!noPlot) {
            plot(r.out());
        }
        return r.status() == RunResult.Status.COMPLETED ? 0 : r.status() == RunResult.Status.DIVERGED ? 3 : 1;
    }

    /** Draws the run's curves beside its results; a plotting failure is reported but keeps the run's status. */
    private static void plot(Path runDir) {
        try {
            for (Path file : Runs.plot(runDir, EnumSet.allOf(FigureFormat.class))) {
                System.out.println("plot in " + file);
            }
        } catch (RuntimeException e) {
            System.err.println("optlab train: could not draw the curves: " + e.getMessage());
        }
    }

    /** The config file (if any) with every given flag written over its field. */
    public RunConfig config() throws IOException {
        ObjectNode root = configFile == null ? RunConfig.readTree("{}") : RunConfig.readTree(configFile);
        try {
            return RunConfig.parse(override(root));
        } catch (ConfigException e) {
            // Name the file unless the field came from a flag given here.
            String flag = FLAGS.get(e.path());
            boolean fromFlag = flag != null && spec != null && spec.commandLine() != null
                    && spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(flag);
            throw configFile == null || fromFlag ? e : e.in(configFile);
        }
    }

    ObjectNode override(ObjectNode root) {
        if (steps != null && epochs != null) {
            throw new ConfigException("steps", "give --steps or --epochs, not both");
        }
        put(root, "name", name);
        put(root, "model", model);
        put(root, "optimizer", optimizer);
        put(root, "schedule", schedule);
        put(root, "data", data);
        put(root, "loss", loss);
        put(root, "dtype", dtype);
        put(root, "backend", backend);
        put(root, "parameterization", parameterization);
        if (batch != null) {
            root.put("batch_size", batch);
        }
        if (init != null || initFrom != null) {
            JsonNode old = root.get("init");
            ObjectNode o = old != null && old.isObject() ? (ObjectNode) old : root.putObject("init");
            if (old != null && old.isTextual()) {
                o.put("scheme", old.asText());
            }
            root.set("init", o);
            put(o, "scheme", init);
            put(o, "from", initFrom == null ? null : initFrom.toString());
        }
        if (geometry && (root.get("geometry") == null || !root.get("geometry").isObject())) {
            root.put("geometry", true);
        }
        if (noShuffle) {
            root.put("shuffle", false);
        }
        if (steps != null) {
            root.put("steps", steps);
            root.remove("epochs");
        }
        if (epochs != null) {
            root.put("epochs", epochs);
            root.remove("steps");
        }
        if (evalEvery != null) {
            JsonNode old = root.get("eval");
            ObjectNode o = old != null && old.isObject() ? (ObjectNode) old : root.putObject("eval");
            root.set("eval", o);
            o.put("every_steps", evalEvery);
        }
        if (seed != null) {
            root.put("seed", seed);
        }
        if (checkpointEvery != null) {
            root.put("checkpoint_every", checkpointEvery);
        }
        if (threads != null) {
            root.put("threads", threads);
        }
        put(root, "save_to", saveTo == null ? null : saveTo.toString());
        put(root, "out", out == null ? null : out.toString());
        if (probes != null) {
            JsonNode old = root.get("probes");
            com.fasterxml.jackson.databind.node.ArrayNode list = old != null && old.isArray()
                    ? (com.fasterxml.jackson.databind.node.ArrayNode) old : root.putArray("probes");
            probes.forEach(list::add);
        }
        return root;
    }

    private static void put(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
