package optlab.experiments.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import optlab.experiments.loop.ProbeSpec;
import optlab.experiments.run.ConfigException;
import optlab.experiments.run.JsonFields;
import optlab.experiments.run.LossKind;
import optlab.models.zoo.Zoo;
import optlab.optim.Optimizer;
import optlab.optim.Optimizers;
import optlab.tensor.DType;

/**
 * Everything that determines an online run, read from JSON, so a run is a pure function of this config (a
 * cluster can run the same grid later). Fields (snake_case) and defaults:
 * <pre>
 * name (the out folder's name) · model (required, a Zoo spec, e.g. "mlp:32-128-128-1")
 * parameterization "mup" | "ntk" | "standard" · gamma0 1 · eta0 (required; lr = learningRate(eta0, width))
 * dtype "auto" (the parameterization's choice: f64 at small gamma0) | "f32" | "f64"
 * loss "mse" (mean over batch × outputs, one-hot targets for classes) | "cross_entropy" (alias "ce")
 * data (required, see OnlineData) · batch_size 64 · steps (required) · seed 0 · threads 1
 * hessian_iterations 0 (power iterations for the top Hessian eigenvalue at the end; 0 skips it)
 * diverge_above null (a factor K: the run also diverges when a training loss exceeds K times the first step's
 *   loss; null: only a NaN/Inf loss. Cross-entropy of a blown-up network stays finite, so only this catches it)
 * test_samples null (evaluate on the first N samples of the data's test set at every grid point; null: all of
 *   it. A full 10k-image test set at every 1-2-5 point dominates a short online ResNet run)
 * optimizer "sgd" (any spec of optlab.optim.Optimizers, e.g. "sgd:momentum=0.9" or "adam"; its lr is replaced by
 *   learningRate(eta0, width)) · probes [] (see ProbeSpec; hessian_iterations adds a hessian_top probe)
 * out "runs/NAME"
 * </pre>
 */
public record OnlineConfig(String name, String model, String parameterization, double gamma0, double eta0,
        String dtype, LossKind loss, OnlineData data, int batchSize, long steps, long seed, int threads,
        int hessianIterations, double divergeAbove, int testSamples, Optimizer optimizer, List<ProbeSpec> probes,
        Path out) {
    /** {@link #testSamples} when the whole test set is evaluated. */
    public static final int ALL_TEST_SAMPLES = 0;

    public static OnlineConfig parse(JsonNode root) {
        JsonFields f = new JsonFields(root, "");
        String out = f.string("out", null);
        String name = f.string("name", null);
        if (name == null) {
            name = out == null || Path.of(out).getFileName() == null ? "online" : Path.of(out).getFileName().toString();
        }
        String model = f.requiredString("model");
        try {
            Zoo.parse(model);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model", e.getMessage());
        }
        String param = f.string("parameterization", "mup");
        if (!OnlineModel.KINDS.contains(param)) {
            throw new ConfigException("parameterization", "must be one of " + OnlineModel.KINDS + ", got '" + param + "'");
        }
        double gamma0 = f.real("gamma0", 1, Double.MIN_NORMAL, Double.MAX_VALUE);
        if (!f.has("eta0")) {
            throw new ConfigException("eta0", "is required (the swept learning rate; lr = learningRate(eta0, width))");
        }
        double eta0 = f.real("eta0", 0, Double.MIN_NORMAL, Double.MAX_VALUE);
        String dtype = f.string("dtype", "auto").toLowerCase(Locale.ROOT);
        if (!dtype.equals("auto") && !dtype.equals("f32") && !dtype.equals("f64")) {
            throw new ConfigException("dtype", "must be auto, f32 or f64, got '" + dtype + "'");
        }
        String lossText = f.string("loss", "mse");
        LossKind loss = LossKind.parse(lossText.equals("ce") ? "cross_entropy" : lossText, "loss");
        OnlineData data = OnlineData.parse(f.node("data"), "data");
        int batch = (int) f.integer("batch_size", 64, 1, 1 << 20);
        if (!f.has("steps")) {
            throw new ConfigException("steps", "is required (number of SGD steps; every sample is fresh)");
        }
        long steps = f.integer("steps", 0, 0, Long.MAX_VALUE / 2);
        long seed = f.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        int threads = (int) f.integer("threads", 1, 1, 4096);
        int hessian = (int) f.integer("hessian_iterations", 0, 0, 100_000);
        double divergeAbove = f.has("diverge_above") && !f.node("diverge_above").isNull()
                ? f.real("diverge_above", 0, 1, Double.MAX_VALUE) : Double.POSITIVE_INFINITY;
        int testSamples = f.has("test_samples") && !f.node("test_samples").isNull()
                ? (int) f.integer("test_samples", 0, 1, 1 << 24) : ALL_TEST_SAMPLES;
        Optimizer optimizer;
        try {
            optimizer = Optimizers.parse(f.string("optimizer", "sgd"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("optimizer", e.getMessage());
        }
        List<ProbeSpec> probes = ProbeSpec.parseList(f.node("probes"), "probes");
        f.finish();
        if (data instanceof OnlineData.TeacherStudentData && loss == LossKind.CROSS_ENTROPY) {
            throw new ConfigException("loss", "the teacher-student task is regression: use mse");
        }
        return new OnlineConfig(name, model, param, gamma0, eta0, dtype, loss, data, batch, steps, seed, threads,
                hessian, divergeAbove, testSamples, optimizer, List.copyOf(probes), Path.of(out == null ? "runs/" + name : out));
    }

    /** The precision the run uses: the config's, or for "auto" the parameterization's choice at this gamma0. */
    public DType resolvedDtype() {
        return switch (dtype) {
            case "f32" -> DType.F32;
            case "f64" -> DType.F64;
            default -> OnlineModel.autoDtype(this);
        };
    }

    /** Whether training loss {@code loss} at some step ends the run as diverged, {@code first} the first step's loss. */
    public boolean diverges(double loss, double first) {
        return !Double.isFinite(loss) || loss > divergeAbove * first;
    }

    /** The test samples evaluated: the first {@code test_samples} of a test set of {@code size}, or all of them. */
    public int testRows(int size) {
        return testSamples == ALL_TEST_SAMPLES ? size : Math.min(testSamples, size);
    }

    /** The learning rate: the parameterization's map of eta0 at this model's width. */
    public double lr() {
        return OnlineModel.learningRate(this);
    }

    /** The config's optimizer at {@link #lr()}. */
    public Optimizer stepRule() {
        return Optimizers.withLr(optimizer, lr());
    }

    /** This config as JSON that {@link #parse} reads back into an equal run (written into summary.json). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("model", model);
        o.put("parameterization", parameterization);
        o.put("gamma0", gamma0);
        o.put("eta0", eta0);
        o.put("dtype", dtype);
        o.put("loss", loss.key());
        o.set("data", data.toJson());
        o.put("batch_size", batchSize);
        o.put("steps", steps);
        o.put("seed", seed);
        o.put("threads", threads);
        o.put("hessian_iterations", hessianIterations);
        if (Double.isInfinite(divergeAbove)) {
            o.putNull("diverge_above");
        } else {
            o.put("diverge_above", divergeAbove);
        }
        if (testSamples == ALL_TEST_SAMPLES) {
            o.putNull("test_samples");
        } else {
            o.put("test_samples", testSamples);
        }
        if (!optimizer.name().equals("sgd") || !optimizer.equals(Optimizers.withLr(Optimizers.parse("sgd"), optimizer.lr()))) {
            o.put("optimizer", optimizer.spec());
        }
        if (!probes.isEmpty()) {
            var list = o.putArray("probes");
            probes.forEach(p -> list.add(p.toJson()));
        }
        o.put("out", out.toString());
        return o;
    }

    /** A copy writing to {@code folder} (named after it). */
    public OnlineConfig withOut(Path folder) {
        String n = folder.getFileName() == null ? name : folder.getFileName().toString();
        return new OnlineConfig(n, model, parameterization, gamma0, eta0, dtype, loss, data, batchSize, steps, seed,
                threads, hessianIterations, divergeAbove, testSamples, optimizer, probes, folder);
    }
}
