package optlab.experiments.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import optlab.experiments.loop.LoopPosition;
import optlab.models.Model;
import optlab.models.io.SafeTensors;
import optlab.optim.OptimizerState;

/**
 * What a training run needs to go on after it was killed, saved every {@code checkpoint_every} updates into
 * {@code RUN/checkpoint}: the weights and buffers (weights.safetensors), the optimizer state with its step count and
 * scalars (optimizer.state, {@link OptimizerState#save}), and in checkpoint.json the config, the loop's
 * {@link LoopPosition} (which fixes the schedule's position and the data order: batch k of epoch e is drawn from
 * (seed, e) alone), the model's step counter (the dropout masks' RNG), the last evaluation and the lengths of
 * steps.csv and evals.csv at that point. Nothing else of a run is random or carried between steps.
 *
 * <p>Atomic: each checkpoint goes into a fresh folder step-N; checkpoint.json, replaced atomically last, names it,
 * and only then is the previous folder deleted. A crash at any moment leaves checkpoint.json naming a complete one.
 */
public record Checkpoint(Path runDir, JsonNode config, LoopPosition position, long modelStep, long stepsBytes,
        long evalsBytes, Metrics train, Metrics test, Metrics validation, boolean evaluated, long wallNanos, String folder) {

    /** The folder inside a run folder that holds its checkpoints. */
    public static final String FOLDER = "checkpoint";
    static final String POINTER = "checkpoint.json";
    static final String WEIGHTS = "weights.safetensors";
    static final String OPTIMIZER = "optimizer.state";
    private static final int FORMAT = 1;

    /** The run state beside the loop's position that a checkpoint carries. */
    record Saved(long modelStep, long[] logBytes, Metrics train, Metrics test, Metrics validation, boolean evaluated,
            long wallNanos) {
    }

    /** Whether {@code runDir} holds a checkpoint. */
    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(FOLDER).resolve(POINTER));
    }

    /** Writes a checkpoint of the run at {@code at} (the logs already synced to {@code s.logBytes}). */
    static void save(Path runDir, RunConfig config, Model model, OptimizerState state, LoopPosition at, Saved s)
            throws IOException {
        Path root = runDir.resolve(FOLDER);
        String folder = "step-" + at.step();
        Path dir = root.resolve(folder);
        deleteTree(dir); // a half-written one from a run killed while writing it
        Files.createDirectories(dir);
        try (optlab.tensor.Scope host = optlab.tensor.Scope.open()) { // a model on a device is copied to the host first
            SafeTensors.write(dir.resolve(WEIGHTS), model.stateDictOnHost(host), Map.of("model", config.model(), "step",
                    Long.toString(at.step())), model.int64Keys()); // written to a temporary file, forced, then moved
        }
        Path opt = dir.resolve(OPTIMIZER);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(opt), 1 << 16)) {
            state.save(out);
        }
        try (FileChannel ch = FileChannel.open(opt, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("folder", folder);
        o.put("step", at.step());
        o.put("samples", at.samples());
        o.put("train_nanos", at.trainNanos());
        o.put("grad_evals", at.gradientEvaluations());
        o.put("model_step", s.modelStep());
        o.put("steps_csv_bytes", s.logBytes()[0]);
        o.put("evals_csv_bytes", s.logBytes()[1]);
        o.put("wall_nanos", s.wallNanos());
        o.put("evaluated", s.evaluated());
        ObjectNode last = o.putObject("last_eval"); // as text: exact, and NaN (not computed) is not a JSON number
        last.put("train_loss", Double.toString(s.train().loss()));
        last.put("train_acc", Double.toString(s.train().accuracy()));
        last.put("test_loss", Double.toString(s.test().loss()));
        last.put("test_acc", Double.toString(s.test().accuracy()));
        last.put("val_loss", Double.toString(s.validation().loss()));
        last.put("val_acc", Double.toString(s.validation().accuracy()));
        o.set("config", config.toJson());
        AtomicFiles.write(root.resolve(POINTER), RunConfig.JSON.writeValueAsString(o) + "\n");
        try (Stream<Path> old = Files.list(root)) {
            for (Path p : old.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().equals(folder)).toList()) {
                deleteTree(p);
            }
        }
    }

    /** Reads {@code runDir}'s checkpoint; a missing or damaged one fails naming the file. */
    public static Checkpoint read(Path runDir) throws IOException {
        Path pointer = runDir.resolve(FOLDER).resolve(POINTER);
        JsonNode o;
        try {
            o = RunConfig.JSON.readTree(Files.readString(pointer));
        } catch (NoSuchFileException e) {
            throw new IOException(runDir + " holds no checkpoint (" + pointer + " is missing); a run writes them with"
                    + " --checkpoint-every N");
        } catch (JsonProcessingException e) {
            throw new IOException(pointer + ": not valid JSON: " + e.getOriginalMessage());
        }
        Fields f = new Fields(pointer, o);
        if (f.count("format") != FORMAT) {
            throw new IOException(pointer + ": checkpoint format " + o.get("format") + ", this optlab reads " + FORMAT);
        }
        String folder = f.text("folder");
        if (!folder.matches("step-[0-9]+")) {
            throw new IOException(pointer + ": field folder is '" + folder + "', expected step-N");
        }
        JsonNode config = o.get("config");
        if (config == null || !config.isObject()) {
            throw new IOException(pointer + ": field config is missing");
        }
        Fields last = new Fields(pointer, o.get("last_eval"));
        Checkpoint c = new Checkpoint(runDir, config, new LoopPosition(f.count("step"), f.count("samples"),
                f.count("train_nanos"), f.count("grad_evals")), f.count("model_step"), f.count("steps_csv_bytes"),
                f.count("evals_csv_bytes"), new Metrics(last.real("train_loss"), last.real("train_acc")),
                new Metrics(last.real("test_loss"), last.real("test_acc")), new Metrics(last.real("val_loss"),
                last.real("val_acc")), o.path("evaluated").asBoolean(false), f.count("wall_nanos"), folder);
        for (Path p : List.of(c.weights(), c.optimizerState())) {
            if (!Files.isRegularFile(p)) {
                throw new IOException(pointer + " names " + p + ", which is missing");
            }
        }
        return c;
    }

    /** The run config the checkpoint was written by, read back with {@link RunConfig#parse}. */
    public RunConfig runConfig() throws IOException {
        try {
            return RunConfig.parse(config);
        } catch (ConfigException e) {
            throw new IOException(runDir.resolve(FOLDER).resolve(POINTER) + ": its config does not parse: " + e.getMessage());
        }
    }

    /**
     * Fails unless {@code now} is the run this checkpoint is of: every field but out (the folder may be named
     * differently) and checkpoint_every (the cadence does not change the run) must agree.
     */
    public void checkSameRun(RunConfig now) throws IOException {
        ObjectNode was = runConfig().toJson(), is = now.toJson();
        List<String> fields = new ArrayList<>();
        for (ObjectNode x : List.of(was, is)) {
            x.remove("out");
            x.remove("checkpoint_every");
        }
        is.fieldNames().forEachRemaining(k -> {
            if (!is.get(k).equals(was.get(k))) {
                fields.add(k + " was " + was.get(k) + ", now " + is.get(k));
            }
        });
        was.fieldNames().forEachRemaining(k -> {
            if (!is.has(k)) {
                fields.add(k + " was " + was.get(k) + ", now absent");
            }
        });
        if (!fields.isEmpty()) {
            throw new ConfigException("", runDir.resolve(FOLDER) + " is a checkpoint of another config ("
                    + String.join("; ", fields) + "); resume with the run's own config, or start a new run with another --out");
        }
    }

    Path weights() {
        return runDir.resolve(FOLDER).resolve(folder).resolve(WEIGHTS);
    }

    Path optimizerState() {
        return runDir.resolve(FOLDER).resolve(folder).resolve(OPTIMIZER);
    }

    /** Reads the saved optimizer state of a model with {@code numel} parameters; the caller closes it. */
    OptimizerState loadOptimizerState(long numel) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(optimizerState()), 1 << 16)) {
            return OptimizerState.load(in, numel);
        } catch (IOException | RuntimeException e) {
            throw new IOException(optimizerState() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code runDir}'s checkpoints (a new run into the folder, or one that finished). */
    static void delete(Path runDir) throws IOException {
        deleteTree(runDir.resolve(FOLDER));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** checkpoint.json's fields, failing with the file and field named. */
    private record Fields(Path file, JsonNode node) {
        long count(String name) throws IOException {
            JsonNode v = node == null ? null : node.get(name);
            if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new IOException(file + ": field " + name + " is " + (v == null ? "missing" : v)
                        + ", expected a count");
            }
            return v.asLong();
        }

        String text(String name) throws IOException {
            JsonNode v = node == null ? null : node.get(name);
            if (v == null || !v.isTextual()) {
                throw new IOException(file + ": field " + name + " is " + (v == null ? "missing" : v) + ", expected text");
            }
            return v.asText();
        }

        double real(String name) throws IOException {
            String t = text(name);
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": field " + name + " is '" + t + "', expected a number");
            }
        }
    }
}
