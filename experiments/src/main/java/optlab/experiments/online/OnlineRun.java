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
import optlab.experiments.data.Dataset;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.Finite;
import optlab.experiments.run.Metrics;
import optlab.models.Model;
import optlab.optim.OptimizerState;
import optlab.optim.SGD;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * One online run: plain SGD at lr = learningRate(eta0, width) for {@code steps} steps, each on B fresh samples of
 * the stream, with the held-out test set (or its first {@code test_samples}) evaluated at the {@link EvalGrid} steps. A run is a pure function of its
 * {@link OnlineConfig}: everything random derives from the config's seeds and the kernels are deterministic for a
 * fixed thread count and vector width, so the same config gives the same losses bit for bit.
 *
 * <p>Divergence: any non-finite training loss ends the run at that step (the bad loss is the last row of
 * steps.csv), and so do non-finite parameters at an evaluation; the results so far are kept.
 *
 * <p>Output folder, written only when the run ends, each file atomically and summary.json last, so a folder
 * with a summary is a finished run and one without is to be redone: {@code steps.csv} (step, loss, seconds),
 * {@code evals.csv} (step, samples, test_loss, test_acc), {@code summary.json} (config, status, lr, width, depth,
 * dtype, final and best test metrics, top Hessian eigenvalue when asked for).
 */
public final class OnlineRun {
    static final String STEPS = "steps.csv", EVALS = "evals.csv", SUMMARY = "summary.json";
    private static final int EVAL_BATCH = 1000;

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
            Objective objective = new Objective(c.loss(), data.test().numClasses(), c.model().trim().startsWith("mlp:"));
            try (Model model = OnlineModel.build(c, dtype); OptimizerState state = new SGD(lr).init(model.parameters()).runOn(backend)) {
                SGD sgd = new SGD(lr);
                Tensor x = scope.empty(dtype, prepend(c.batchSize(), data.train().sampleShape()));
                Tensor y = scope.empty(dtype, prepend(c.batchSize(), data.train().targetShape()));
                checkOutputs(model, objective, data, backend, pool);
                Dataset test = data.test().rows(0, c.testRows(data.test().size()));
                long[] grid = EvalGrid.steps(c.steps());
                int next = 0;
                long diverged = -1, done = 0;
                double first = Double.NaN;
                double hessian = Double.NaN;
                for (long k = 0; ; k++) {
                    if (next < grid.length && grid[next] == k) {
                        next++;
                        if (!Finite.all(model.parameters())) {
                            diverged = k;
                            break;
                        }
                        Metrics m = objective.evaluate(model, test, backend, pool, EVAL_BATCH);
                        log.eval(k, k * (long) c.batchSize(), m);
                    }
                    if (k == c.steps()) {
                        break;
                    }
                    data.train().next(x, y);
                    model.zeroGrad();
                    double loss;
                    try (Graph g = Graph.open(backend, pool)) {
                        Variable out = model.forward(g, Variable.constant(objective.input(x)));
                        Variable l = objective.loss(g, out, y);
                        loss = l.value().item();
                        if (Double.isFinite(loss)) {
                            g.backward(l);
                        }
                    }
                    log.step(k, loss, (System.nanoTime() - t0) * 1e-9);
                    if (k == 0) {
                        first = loss;
                    }
                    if (c.diverges(loss, first)) {
                        diverged = k;
                        break;
                    }
                    sgd.step(state, model.parameters(), model.gradients(), lr);
                    done = k + 1;
                }
                if (diverged < 0 && c.hessianIterations() > 0) {
                    hessian = OnlineHessian.top(model, objective, data, backend, pool, c);
                }
                OnlineResult r = log.result(diverged >= 0 ? OnlineResult.Status.DIVERGED : OnlineResult.Status.COMPLETED,
                        diverged, done, lr, dtype, hessian, (System.nanoTime() - t0) * 1e-9);
                write(log, r, null);
                return r;
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                write(log, log.result(OnlineResult.Status.FAILED, -1, log.steps(), lr, dtype, Double.NaN,
                        (System.nanoTime() - t0) * 1e-9), String.valueOf(e));
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

    private void write(Log log, OnlineResult r, String error) throws IOException {
        Path dir = config.out();
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(STEPS), log.stepsCsv());
        AtomicFiles.write(dir.resolve(EVALS), log.evalsCsv());
        AtomicFiles.write(dir.resolve(SUMMARY), summary(r, error));
    }

    private String summary(OnlineResult r, String error) throws JsonProcessingException {
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
