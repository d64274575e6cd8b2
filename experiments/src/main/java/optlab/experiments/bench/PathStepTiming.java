package optlab.experiments.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.path.PathNetworks;
import optlab.models.zoo.Zoo;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.PathSGD;
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
 * Full training steps (zeroGrad, forward, cross-entropy, backward, optimizer step: Trainer's step) with SGD and with
 * Path-SGD side by side in one JVM. Two models of the same seed on one random batch of the real shape; each warms
 * up alone, then rounds alternate a block of SGD steps and a block of Path-SGD steps (the order flips every round)
 * so load drifts on a shared machine hit both alike. Only the optimizer differs between the two.
 */
public final class PathStepTiming {
    /** Steps per block of one optimizer inside a round. */
    static final int BLOCK = 4;

    private PathStepTiming() {
    }

    /** Step times in milliseconds of one optimizer: median and 10th percentile, the update alone, the last loss. */
    public record Stats(String optimizer, int steps, double medianMs, double p10Ms, double updateMedianMs, double loss) {
    }

    /**
     * Both optimizers' figures and the model's description; {@code poolGrowthBytes} is what the buffer pool grew
     * during the timed rounds (0 expected: the step must not allocate new large buffers once warm).
     */
    public record Result(String model, DType dtype, int batch, int threads, long parameters, String backend,
            Stats sgd, Stats pathSgd, long poolGrowthBytes) {
        public double medianRatio() {
            return pathSgd.medianMs / sgd.medianMs;
        }

        public double p10Ratio() {
            return pathSgd.p10Ms / sgd.p10Ms;
        }
    }

    /** One optimizer's model, state and per-step timings. */
    private static final class Runner implements AutoCloseable {
        final String name;
        final Model model;
        final Optimizer opt;
        final OptimizerState state;
        double[] step = new double[64];
        double[] update = new double[64];
        int n;
        double loss;

        Runner(String name, String spec, DType dtype, Optimizer opt, Backend cpu) {
            this.name = name;
            this.model = Zoo.build(spec, dtype, InitScheme.GAUSSIAN, 1);
            this.opt = opt;
            try {
                this.state = opt instanceof PathSGD p ? p.init(model.parameters(), PathNetworks.of(model))
                        : opt.init(model.parameters());
                state.runOn(cpu);
            } catch (RuntimeException e) {
                model.close(); // not a Path-SGD network: free the weights before reporting it
                throw e;
            }
        }

        void run(Backend cpu, BufferPool pool, Tensor x, Tensor y, boolean record) {
            long t0 = System.nanoTime();
            model.zeroGrad();
            try (Graph g = Graph.open(cpu, pool)) {
                Variable l = g.crossEntropy(model.forward(g, Variable.constant(x)), y);
                g.backward(l);
                loss = l.value().item();
            }
            long t1 = System.nanoTime();
            opt.step(state, model.parameters(), model.gradients(), opt.lr());
            long t2 = System.nanoTime();
            if (record) {
                if (n == step.length) { // grows rarely and outside the timed interval
                    step = Arrays.copyOf(step, 2 * n);
                    update = Arrays.copyOf(update, 2 * n);
                }
                step[n] = (t2 - t0) / 1e6;
                update[n++] = (t2 - t1) / 1e6;
            }
        }

        Stats stats() {
            double[] s = Arrays.copyOf(step, n);
            return new Stats(name, n, quantile(s, 0.5), quantile(s, 0.1), quantile(Arrays.copyOf(update, n), 0.5), loss);
        }

        @Override
        public void close() {
            state.close();
            model.close();
        }
    }

    /**
     * Warms each optimizer up for {@code warmupSeconds} (at least 2 steps), then alternates blocks until
     * {@code seconds} have passed and at least 2 rounds ran. The spec must be a Zoo MLP (flat inputs).
     *
     * @throws IllegalArgumentException when the spec is not a Zoo model Path-SGD can handle
     */
    public static Result measure(String spec, DType dtype, int batch, int threads, double warmupSeconds, double seconds) {
        try (Backend cpu = Backends.cpu(threads); BufferPool pool = new BufferPool(); Scope data = Scope.open();
                Runner sgd = new Runner("sgd", spec, dtype, new SGD(1e-3), cpu);
                Runner path = new Runner("path-sgd", spec, dtype, new PathSGD(1e-4), cpu)) {
            Tensor first = sgd.model.namedParameters().values().iterator().next().value();
            if (first.rank() != 2) {
                throw new IllegalArgumentException("path-step: --model must be an MLP spec (mlp:IN-H-...-OUT), got " + spec);
            }
            int inputs = first.dim(1);
            int classes = outputs(sgd.model);
            SplittableRandom rng = new SplittableRandom(2);
            Tensor x = data.uniform(dtype, rng, 0, 1, batch, inputs);
            Tensor y = data.empty(dtype, batch);
            for (int i = 0; i < batch; i++) {
                y.setFlat(i, rng.nextInt(classes));
            }
            for (Runner r : new Runner[] {sgd, path}) {
                long t0 = System.nanoTime();
                for (int k = 0; k < 2 || System.nanoTime() - t0 < warmupSeconds * 1e9; k++) {
                    r.run(cpu, pool, x, y, false);
                }
            }
            long poolBytes = pool.allocatedBytes();
            long t0 = System.nanoTime();
            for (int k = 0; k < 2 || System.nanoTime() - t0 < seconds * 1e9; k++) {
                for (Runner r : k % 2 == 0 ? new Runner[] {sgd, path} : new Runner[] {path, sgd}) {
                    for (int s = 0; s < BLOCK; s++) {
                        r.run(cpu, pool, x, y, true);
                    }
                }
            }
            for (Runner r : new Runner[] {sgd, path}) {
                if (!Double.isFinite(r.loss)) {
                    throw new IllegalStateException("path-step: " + r.name + " loss became " + r.loss);
                }
            }
            return new Result(spec, dtype, batch, threads, sgd.model.numParameters(), cpu.describe(), sgd.stats(),
                    path.stats(), pool.allocatedBytes() - poolBytes);
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
