package optlab.experiments.loop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import optlab.models.Model;
import optlab.models.ModelOracle;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.schedule.Schedule;
import optlab.tensor.BufferPool;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/**
 * The one training loop of optlab: every run ({@code optlab train}, online runs, recipes, step benchmarks) is this
 * loop with its own data ({@link BatchSource}), evaluation schedule and probes. Step t:
 * <ol>
 *   <li>if the schedule evaluates at t: probes' {@link Probe#beforeEvaluation}, then the evaluation;</li>
 *   <li>batch t from the source (epoch-end probes first when it starts a new epoch);</li>
 *   <li>zero the gradients, forward and loss in a graph leased from the run's {@link BufferPool} (no new large
 *       buffers after the first step), backward unless the loss is not finite;</li>
 *   <li>probes' {@link Probe#afterBackward} (w_t, g_t);</li>
 *   <li>the optimizer step at lr(t), with an oracle bound to this batch when the rule {@linkplain
 *       Optimizer#needsOracle needs one};</li>
 *   <li>the step's row, then probes' {@link Probe#afterUpdate} (w_{t+1}).</li>
 * </ol>
 * A non-finite loss ends the run as diverged at t (its row is the last); probes may end it too ({@link StepView#stop},
 * e.g. {@link Divergence}). Everything random derives from the run's seeds and the kernels are deterministic for a
 * fixed thread count and vector width, so the same run gives the same losses bit for bit, with or without probes.
 */
public final class TrainingLoop {
    /** Receives each step's row. */
    @FunctionalInterface
    public interface StepSink {
        void row(StepRecord r) throws IOException;
    }

    /** Measures the model after {@code step} updates; splits without data are left out. */
    @FunctionalInterface
    public interface Evaluator {
        Map<String, optlab.experiments.run.Metrics> evaluate(long step) throws IOException;
    }

    /** Receives each evaluation with the probes' extra cells (in probe order). */
    @FunctionalInterface
    public interface EvalSink {
        void row(Evaluation e, List<String> probeCells) throws IOException;
    }

    /**
     * Saves the run's state after an update (weights, optimizer state, the logs so far): called every
     * {@code checkpointEvery} updates with the loop's position, after the step's row and probes.
     */
    @FunctionalInterface
    public interface CheckpointSink {
        void save(LoopPosition after) throws IOException;
    }

    private final Model model;
    private final Optimizer optimizer;
    private final OptimizerState state;
    private final Objective objective;
    private final Backend backend;
    private final BufferPool pool;
    private final Schedule schedule;
    private final List<Probe> probes;

    public TrainingLoop(Model model, Optimizer optimizer, OptimizerState state, Objective objective, Backend backend,
            BufferPool pool, Schedule schedule, List<Probe> probes) {
        this.model = model;
        this.optimizer = optimizer;
        this.state = state.runOn(backend); // the update's work splits over the run's own thread team
        this.objective = objective;
        this.backend = backend;
        this.pool = pool;
        this.schedule = schedule;
        this.probes = List.copyOf(probes);
    }

    /** The columns the probes add to evals.csv, in order. */
    public List<String> probeEvalColumns() {
        List<String> c = new ArrayList<>();
        for (Probe p : probes) {
            c.addAll(p.evalColumns());
        }
        return c;
    }

    /**
     * {@code n} steps on the batch ({@code x}, {@code y}) itself, with no evaluations: the loop the step benchmarks
     * time. Probes run as in any run (with no run folder).
     */
    public LoopResult runFixed(Tensor x, Tensor y, long n, StepSink steps) {
        try {
            return run(new RunContext(null, model, objective, optimizer, backend, pool, n, 0, null, null, 0, null),
                    BatchSource.fixed(), x, y, n, k -> false, k -> Map.of(), (e, c) -> { }, steps);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code total} steps (fewer if it diverges) on batches from {@code source} into the full-size buffers
     * {@code x}, {@code y}; evaluates where {@code evalAt} says (step 0 … total, counted in updates done). Probes are
     * started with {@code run} first and told the result last.
     */
    public LoopResult run(RunContext run, BatchSource source, Tensor x, Tensor y, long total, LongPredicate evalAt,
            Evaluator evaluator, EvalSink evals, StepSink steps) throws IOException {
        return run(run, source, x, y, total, evalAt, evaluator, evals, steps, LoopPosition.START, 0, null);
    }

    /**
     * As {@link #run(RunContext, BatchSource, Tensor, Tensor, long, LongPredicate, Evaluator, EvalSink, StepSink)},
     * starting at {@code from} (the model, its step counter and the optimizer state already restored to it; the
     * source is {@linkplain BatchSource#seek sought} there), and handing the position to {@code checkpoints} every
     * {@code checkpointEvery} updates before the last (0: never). Started at a saved position, the loop does what
     * the uninterrupted one did from there on, bit for bit.
     */
    public LoopResult run(RunContext run, BatchSource source, Tensor x, Tensor y, long total, LongPredicate evalAt,
            Evaluator evaluator, EvalSink evals, StepSink steps, LoopPosition from, long checkpointEvery,
            CheckpointSink checkpoints) throws IOException {
        if (from.step() > total || checkpointEvery < 0 || (checkpointEvery > 0 && checkpoints == null)) {
            throw new IllegalArgumentException("TrainingLoop.run: start " + from.step() + " of " + total
                    + " steps, checkpoint every " + checkpointEvery);
        }
        if (from.step() > 0) {
            source.seek(from.step());
        }
        for (Probe p : probes) {
            p.start(run);
        }
        long t0 = System.nanoTime();
        int full = x.dim(0);
        long trainNanos = from.trainNanos(), samples = from.samples(), gradEvals = from.gradientEvaluations();
        long done = from.step();
        double lastLoss = Double.NaN;
        try (ModelOracle probeOracle = ModelOracle.create(model, backend, pool, true);
             ModelOracle stepOracle = optimizer.needsOracle() ? ModelOracle.create(model, backend, pool, false) : null) {
            StepView view = new StepView(model, objective, probeOracle, state, backend);
            for (long k = from.step(); k <= total; k++) {
                if (evalAt.test(k)) {
                    view.next(k, source.epoch(), x, y, 0, model.step());
                    for (Probe p : probes) {
                        p.beforeEvaluation(view);
                    }
                    if (view.stopped()) {
                        break;
                    }
                    double epoch = source.batchesPerEpoch() > 0 ? (double) k / source.batchesPerEpoch() : 0;
                    Evaluation e = new Evaluation(k, epoch, evaluator.evaluate(k));
                    List<String> cells = new ArrayList<>();
                    for (Probe p : probes) {
                        p.atEvaluation(e);
                        cells.addAll(p.evalCells());
                    }
                    evals.row(e, cells);
                }
                if (k == total) {
                    break;
                }
                long s0 = System.nanoTime();
                int b = source.next(x, y);
                if (source.epochStarted()) {
                    for (Probe p : probes) {
                        p.atEpochEnd(source.epoch() - 1, k);
                    }
                }
                Tensor xb = b == full ? x : x.slice(0, 0, b), yb = b == full ? y : y.slice(0, 0, b);
                double lr = schedule.lr(k);
                long before = model.step();
                double loss;
                model.zeroGrad();
                try (Graph g = Graph.open(backend, pool)) {
                    Variable l = objective.batchLoss(g, model, xb, yb);
                    loss = backend.item(l.value()); // the one scalar a step reads back from a device
                    if (Double.isFinite(loss)) {
                        g.backward(l);
                    }
                }
                long s1 = System.nanoTime();
                view.next(k, source.epoch(), xb, yb, b, before);
                view.loss = loss;
                view.lr = lr;
                lastLoss = loss;
                gradEvals++;
                if (!Double.isFinite(loss)) {
                    view.stop(k, "non-finite training loss " + loss);
                } else {
                    for (Probe p : probes) {
                        p.afterBackward(view);
                    }
                }
                if (view.stopped()) {
                    trainNanos += s1 - s0;
                    steps.row(new StepRecord(k, loss, lr, trainNanos * 1e-9, (System.nanoTime() - t0) * 1e-9, gradEvals,
                            s1 - s0, 0));
                    break;
                }
                long u0 = System.nanoTime();
                if (stepOracle != null) {
                    stepOracle.bind(gr -> objective.batchLoss(gr, model, xb, yb), before);
                    long calls = stepOracle.calls();
                    optimizer.step(state, model.parameters(), model.gradients(), lr, stepOracle);
                    gradEvals += stepOracle.calls() - calls;
                } else {
                    optimizer.step(state, model.parameters(), model.gradients(), lr);
                }
                long u1 = System.nanoTime();
                trainNanos += (s1 - s0) + (u1 - u0);
                samples += b;
                done = k + 1;
                steps.row(new StepRecord(k, loss, lr, trainNanos * 1e-9, (u1 - t0) * 1e-9, gradEvals, (s1 - s0) + (u1 - u0),
                        u1 - u0));
                view.samples = samples;
                view.trainNanos = trainNanos;
                for (Probe p : probes) {
                    p.afterUpdate(view);
                }
                if (view.stopped()) {
                    break;
                }
                if (checkpointEvery > 0 && done % checkpointEvery == 0 && done < total) {
                    checkpoints.save(new LoopPosition(done, samples, trainNanos, gradEvals));
                }
            }
            LoopResult r = new LoopResult(done, view.stopAt, view.stopReason, samples, trainNanos, lastLoss, gradEvals);
            for (Probe p : probes) {
                p.atEnd(r);
            }
            return r;
        } finally {
            for (Probe p : probes) {
                p.close();
            }
        }
    }
}
