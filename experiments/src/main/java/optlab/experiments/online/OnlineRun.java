package optlab.experiments.online;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import optlab.experiments.data.Dataset;
import optlab.experiments.loop.BatchSource;
import optlab.experiments.loop.Divergence;
import optlab.experiments.loop.HessianProbe;
import optlab.experiments.loop.LoopResult;
import optlab.experiments.loop.Objective;
import optlab.experiments.loop.Probe;
import optlab.experiments.loop.ProbeSpec;
import optlab.experiments.loop.RunContext;
import optlab.experiments.loop.TrainingLoop;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.Metrics;
import optlab.experiments.run.RunFolder;
import optlab.models.Model;
import optlab.models.ModelSpace;
import optlab.optim.OptimizerState;
import optlab.optim.schedule.Constant;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * One online run: the config's optimizer (plain SGD by default) at lr = learningRate(eta0, width) for {@code steps}
 * steps of the {@link TrainingLoop}, each on B fresh samples of the stream, with the held-out test set (or its first
 * {@code test_samples}) evaluated at the {@link EvalGrid} steps. A run is a pure function of its
 * {@link OnlineConfig}: everything random derives from the config's seeds and the kernels are deterministic for a
 * fixed thread count and vector width, so the same config gives the same losses bit for bit.
 *
 * <p>Divergence ({@link Divergence}): any non-finite training loss, or one above diverge_above × the first, ends the
 * run at that step (the bad loss is the last row of steps.csv), and so do non-finite parameters at an evaluation; the
 * results so far are kept.
 *
 * <p>Output folder, written only when the run ends, each file atomically and summary.json last, so a folder
 * with a summary is a finished run and one without is to be redone: {@code steps.csv} (step, loss, seconds),
 * {@code evals.csv} (step, samples, test_loss, test_acc), {@code summary.json} (config, status, lr, width, depth,
 * dtype, final and best test metrics, top Hessian eigenvalue when asked for).
 */
public final class OnlineRun {
    private static final int EVAL_BATCH = 1000;
    /** The first held-out samples the top Hessian eigenvalue is measured on, the same for every run of a sweep. */
    static final int HESSIAN_SAMPLES = 256;

    private final OnlineConfig config;

    public OnlineRun(OnlineConfig config) {
        this.config = config;
    }

    /** Runs to the end (or divergence) and writes the folder; a failure writes a "failed" summary and propagates. */
    public OnlineResult run() throws IOException {
        OnlineConfig c = config;
        long t0 = System.nanoTime();
        Log log = new Log();
        DType dtype = c.resolvedDtype();
        double lr = c.lr();
        try (Backend backend = Backends.cpu(c.threads()); Scope scope = Scope.open(); BufferPool pool = new BufferPool()) {
            OnlineData.Opened data = c.data().open(dtype, c.seed(), scope);
            try (Model model = OnlineModel.build(c, dtype);
                 OptimizerState state = c.stepRule().init(ModelSpace.of(model))) {
                Objective objective = Objective.of(model, c.loss(), data.test().numClasses());
                Tensor x = scope.empty(dtype, prepend(c.batchSize(), data.train().sampleShape()));
                Tensor y = scope.empty(dtype, prepend(c.batchSize(), data.train().targetShape()));
                checkOutputs(model, objective, data, backend, pool);
                Dataset test = data.test().rows(0, c.testRows(data.test().size()));
                long[] grid = EvalGrid.steps(c.steps());
                List<Probe> probes = new ArrayList<>();
                probes.add(new Divergence(c.divergeAbove(), 0));
                HessianProbe hessian = c.hessianIterations() > 0 ? new HessianProbe(HESSIAN_SAMPLES,
                        c.hessianIterations(), 1e-3) : null;
                if (hessian != null) {
                    probes.add(hessian);
                }
                ModelSpace space = ModelSpace.of(model);
                for (ProbeSpec p : c.probes()) {
                    probes.add(p.build(space));
                }
                TrainingLoop loop = new TrainingLoop(model, c.stepRule(), state, objective, backend, pool,
                        new Constant(lr), probes);
                RunContext run = new RunContext(c.out(), model, objective, c.stepRule(), backend, pool, c.steps(), 0, null,
                        data.test(), c.seed(), null);
                LoopResult r = loop.run(run, BatchSource.stream(data.train()), x, y, c.steps(),
                        k -> Arrays.binarySearch(grid, k) >= 0,
                        k -> Map.of("test", objective.evaluate(model, test, Integer.MAX_VALUE, backend, pool, EVAL_BATCH)),
                        (e, cells) -> log.eval(e.step(), e.step() * (long) c.batchSize(), e.get("test")),
                        row -> log.step(row.step(), row.loss(), (System.nanoTime() - t0) * 1e-9));
                double top = hessian == null ? Double.NaN : hessian.top();
                OnlineResult res = log.result(r.diverged() ? OnlineResult.Status.DIVERGED : OnlineResult.Status.COMPLETED,
                        r.divergedAt(), r.stepsDone(), lr, dtype, top, (System.nanoTime() - t0) * 1e-9);
                write(log, res, null, probes);
                return res;
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                write(log, log.result(OnlineResult.Status.FAILED, -1, log.steps(), lr, dtype, Double.NaN,
                        (System.nanoTime() - t0) * 1e-9), String.valueOf(e), List.of());
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** One test sample through the model, so a wrong output width fails before anything runs. */
    private void checkOutputs(Model model, Objective objective, OnlineData.Opened data, Backend backend, BufferPool pool) {
        int outputs = data.outputs();
        Tensor out;
        model.eval(); // no training step counted
        try (Graph g = Graph.noGrad(backend, pool)) {
            out = model.forward(g, Variable.constant(objective.input(data.test().featureRows(0, 1, g.scope())))).value();
        } finally {
            model.train();
        }
        if (out.rank() != 2 || out.dim(1) != outputs) {
            throw new IllegalArgumentException("online run: model " + config.model() + " outputs "
                    + Arrays.toString(out.shape()) + " per batch but the data needs " + outputs + " outputs");
        }
    }

    private void write(Log log, OnlineResult r, String error, List<Probe> probes) throws IOException {
        Path dir = config.out();
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(RunFolder.STEPS), log.stepsCsv());
        AtomicFiles.write(dir.resolve(RunFolder.EVALS), log.evalsCsv());
        AtomicFiles.write(dir.resolve(RunFolder.SUMMARY), summary(r, error, probes));
    }

    private String summary(OnlineResult r, String error, List<Probe> probes) throws JsonProcessingException {
        OnlineConfig c = config;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", c.name());
        o.put("status", r.status().key());
        if (r.divergedAt() >= 0) {
            o.put("diverged_at", r.divergedAt());
        } else {
            o.putNull("diverged_at");
        }
        o.put("steps_done", r.stepsDone());
        o.put("gamma0", c.gamma0());
        o.put("eta0", c.eta0());
        OnlineResult.put(o, "lr", r.lr());
        o.put("width", OnlineModel.width(c.model()));
        o.put("depth", OnlineModel.depth(c.model()));
        o.put("dtype", r.dtype());
        ObjectNode fin = o.putObject("final");
        OnlineResult.put(fin, "train_loss", r.lastTrainLoss());
        OnlineResult.put(fin, "test_loss", r.finalTestLoss());
        OnlineResult.put(fin, "test_acc", r.finalTestAcc());
        ObjectNode best = o.putObject("best");
        OnlineResult.put(best, "test_loss", r.bestTestLoss());
        OnlineResult.put(best, "test_acc", r.bestTestAcc());
        OnlineResult.put(o, "hessian_top", r.hessianTop());
        OnlineResult.put(o, "wall_seconds", r.wallSeconds());
        if (error != null) {
            o.put("error", error);
        }
        for (Probe p : probes) {
            if (!(p instanceof HessianProbe)) { // hessian_top is written above, in its place
                p.summarize(o);
            }
        }
        o.set("config", c.toJson());
        return OnlineResult.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n";
    }

    private static int[] prepend(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /** The rows of steps.csv and evals.csv, kept in memory (a row per step) and the metrics they imply. */
    private static final class Log {
        private long[] step = new long[1024];
        private double[] loss = new double[1024], seconds = new double[1024];
        private int n;
        private final StringBuilder evals = new StringBuilder("step,samples,test_loss,test_acc\n");
        private Metrics last = Metrics.NONE;
        private double bestLoss = Double.NaN, bestAcc = Double.NaN;

        void step(long k, double l, double s) {
            if (n == step.length) {
                step = Arrays.copyOf(step, 2 * n);
                loss = Arrays.copyOf(loss, 2 * n);
                seconds = Arrays.copyOf(seconds, 2 * n);
            }
            step[n] = k;
            loss[n] = l;
            seconds[n++] = s;
        }

        long steps() {
            return n;
        }

        void eval(long k, long samples, Metrics m) {
            evals.append(k).append(',').append(samples).append(',').append(cell(m.loss())).append(',')
                    .append(cell(m.accuracy())).append('\n');
            last = m;
            if (Double.isFinite(m.loss()) && !(m.loss() >= bestLoss)) {
                bestLoss = m.loss();
            }
            if (Double.isFinite(m.accuracy()) && !(m.accuracy() <= bestAcc)) {
                bestAcc = m.accuracy();
            }
        }

        String stepsCsv() {
            StringBuilder sb = new StringBuilder(32 * n + 32).append("step,loss,seconds\n");
            for (int i = 0; i < n; i++) {
                sb.append(step[i]).append(',').append(loss[i]).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", seconds[i])).append('\n');
            }
            return sb.toString();
        }

        String evalsCsv() {
            return evals.toString();
        }

        OnlineResult result(OnlineResult.Status status, long diverged, long done, double lr, DType dtype,
                double hessian, double wall) {
            return new OnlineResult(status, diverged, done, lr, dtype.name().toLowerCase(Locale.ROOT), last.loss(),
                    last.accuracy(), bestLoss, bestAcc, n == 0 ? Double.NaN : loss[n - 1], hessian, wall);
        }

        private static String cell(double v) {
            return Double.isNaN(v) ? "" : Double.toString(v);
        }
    }
}
