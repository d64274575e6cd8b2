package optlab.experiments.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.List;
import java.util.OptionalDouble;
import optlab.experiments.loop.Objective;
import optlab.experiments.loop.Probe;
import optlab.experiments.loop.TrainingLoop;
import optlab.experiments.run.LossKind;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.PathSGD;
import optlab.optim.SGD;
import optlab.optim.schedule.Constant;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * Full training steps (zeroGrad, forward, cross-entropy, backward, optimizer step, probes: the {@link TrainingLoop}'s
 * step) of two sides side by side in one JVM, e.g. SGD against Path-SGD, SGD against Heun, or a plain run against one
 * with probes. Two models of the same seed on one random batch of the real shape; each warms up alone, then rounds
 * alternate a block of A steps and a block of B steps (the order flips every round) so load drifts on a shared
 * machine hit both alike. Only the optimizer and probes differ between the two.
 */
public final class StepComparison {
    /** Steps per block of one optimizer inside a round. */
    static final int BLOCK = 4;

    private StepComparison() {
    }

    /** One side: a name, its optimizer and the probes its loop runs (made fresh for the side's model). */
    public record Side(String name, Optimizer optimizer, java.util.function.Function<Model, List<Probe>> probes) {
        public Side(String name, Optimizer optimizer) {
            this(name, optimizer, m -> List.of());
        }
    }

    /**
     * Step times in milliseconds of one side: median and 10th percentile, the update alone, the last loss, and the
     * whole step with its probes (from one step's row to the next inside a block: forward, backward, update and every
     * probe hook; the step's own times leave the probes out).
     */
    public record Stats(String optimizer, int steps, double medianMs, double p10Ms, double updateMedianMs, double loss,
            double wholeMedianMs, double wholeP10Ms) {
    }

    /**
     * Both sides' figures and the model's description; {@code stepFlops} is a step's GEMM work ({@link StepFlops});
     * {@code poolGrowthBytes} is what the buffer pool grew during the timed rounds (0 expected: the step must not
     * allocate new large buffers once warm).
     */
    public record Result(String model, DType dtype, int batch, int threads, long parameters, OptionalDouble stepFlops,
            String backend, Stats a, Stats b, long poolGrowthBytes) {
        /** B's median step time over A's. */
        public double medianRatio() {
            return b.medianMs / a.medianMs;
        }

        public double p10Ratio() {
            return b.p10Ms / a.p10Ms;
        }

        /** B's median whole step (probes included) over A's: the cost of measuring. */
        public double wholeMedianRatio() {
            return b.wholeMedianMs / a.wholeMedianMs;
        }

        public double wholeP10Ratio() {
            return b.wholeP10Ms / a.wholeP10Ms;
        }
    }

    /** One optimizer's model, state and per-step timings. */
    private static final class Runner implements AutoCloseable {
        final String name;
        final Model model;
        final Optimizer opt;
        final OptimizerState state;
        final List<Probe> probes;
        double[] step = new double[64];
        double[] update = new double[64];
        double[] whole = new double[64];
        int n, wholeN;
        long lastRow;
        double loss;
        TrainingLoop loop;

        Runner(String spec, DType dtype, Side side) {
            this.name = side.name();
            this.model = Zoo.build(spec, dtype, InitScheme.GAUSSIAN, 1);
            this.opt = side.optimizer();
            this.probes = side.probes().apply(model);
            try {
                this.state = opt.init(optlab.models.ModelSpace.of(model));
            } catch (RuntimeException e) {
                model.close(); // e.g. not a Path-SGD network: free the weights before reporting it
                throw e;
            }
        }

        /** {@code steps} steps of the {@link TrainingLoop} on the batch; with {@code record}, their times are kept. */
        void run(Backend cpu, BufferPool pool, Tensor x, Tensor y, int steps, boolean record) {
            if (loop == null) {
                Objective objective = new Objective(LossKind.CROSS_ENTROPY, outputs(model), Objective.flattens(model));
                loop = new TrainingLoop(model, opt, state, objective, cpu, pool, new Constant(opt.lr()), probes);
            }
            lastRow = 0;
            loop.runFixed(x, y, steps, r -> {
                loss = r.loss();
                long now = System.nanoTime();
                if (record && lastRow != 0) {
                    if (wholeN == whole.length) {
                        whole = Arrays.copyOf(whole, 2 * wholeN);
                    }
                    whole[wholeN++] = (now - lastRow) / 1e6;
                }
                lastRow = now;
                if (record) {
                    if (n == step.length) { // grows rarely and outside the timed interval
                        step = Arrays.copyOf(step, 2 * n);
                        update = Arrays.copyOf(update, 2 * n);
                    }
                    step[n] = r.stepNanos() / 1e6;
                    update[n++] = r.updateNanos() / 1e6;
                }
            });
        }

        Stats stats() {
            double[] s = Arrays.copyOf(step, n);
            double[] w = Arrays.copyOf(whole, wholeN);
            return new Stats(name, n, quantile(s, 0.5), quantile(s, 0.1), quantile(Arrays.copyOf(update, n), 0.5), loss,
                    quantile(w, 0.5), quantile(w, 0.1));
        }

        @Override
        public void close() {
            state.close();
            model.close();
            probes.forEach(Probe::close);
        }
    }

    /** SGD against Path-SGD (lr 1e-3 and 1e-4), the comparison of {@code optlab bench path-step}. */
    public static Result pathSgd(String spec, DType dtype, int batch, int threads, double warmupSeconds, double seconds) {
        return measure(spec, dtype, batch, threads, warmupSeconds, seconds, new Side("sgd", new SGD(1e-3)),
                new Side("path-sgd", new PathSGD(1e-4)));
    }

    /**
     * Warms each side up for {@code warmupSeconds} (at least 2 steps), then alternates blocks until
     * {@code seconds} have passed and at least 2 rounds ran. The spec must be a Zoo MLP (flat inputs).
     *
     * @throws IllegalArgumentException when the spec is not a Zoo MLP a side's optimizer can handle
     */
    public static Result measure(String spec, DType dtype, int batch, int threads, double warmupSeconds, double seconds,
            Side a, Side b) {
        try (Backend cpu = Backends.cpu(threads); BufferPool pool = new BufferPool(); Scope data = Scope.open();
                Runner ra = new Runner(spec, dtype, a);
                Runner rb = new Runner(spec, dtype, b)) {
            Tensor first = ra.model.namedParameters().values().iterator().next().value();
            if (first.rank() != 2) {
                throw new IllegalArgumentException("--model must be an MLP spec (mlp:IN-H-...-OUT), got " + spec);
            }
            int inputs = first.dim(1);
            int classes = outputs(ra.model);
            SplittableRandom rng = new SplittableRandom(2);
            Tensor x = data.uniform(dtype, rng, 0, 1, batch, inputs);
            Tensor y = data.empty(dtype, batch);
            for (int i = 0; i < batch; i++) {
                y.setFlat(i, rng.nextInt(classes));
            }
            for (Runner r : new Runner[] {ra, rb}) {
                long t0 = System.nanoTime();
                for (int k = 0; k < 2 || System.nanoTime() - t0 < warmupSeconds * 1e9; k++) {
                    r.run(cpu, pool, x, y, 1, false);
                }
            }
            long poolBytes = pool.allocatedBytes();
            long t0 = System.nanoTime();
            for (int k = 0; k < 2 || System.nanoTime() - t0 < seconds * 1e9; k++) {
                for (Runner r : k % 2 == 0 ? new Runner[] {ra, rb} : new Runner[] {rb, ra}) {
                    r.run(cpu, pool, x, y, BLOCK, true);
                }
            }
            for (Runner r : new Runner[] {ra, rb}) {
                if (!Double.isFinite(r.loss)) {
                    throw new IllegalStateException(r.name + " loss became " + r.loss);
                }
            }
            return new Result(spec, dtype, batch, threads, ra.model.numParameters(), StepFlops.of(spec, ra.model, batch, false),
                    cpu.describe(), ra.stats(),
                    rb.stats(), pool.allocatedBytes() - poolBytes);
        }
    }

    /** Number of classes: the first dimension of the last parameter (the output layer's bias or weight rows). */
    private static int outputs(Model m) {
        Tensor last = null;
        for (var p : m.namedParameters().values()) {
            last = p.value();
        }
        return last.dim(0);
    }

    /** The q-quantile of v by linear interpolation between order statistics (sorts v). */
    static double quantile(double[] v, double q) {
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }
}
