package optlab.models;

import java.util.Arrays;
import java.util.SplittableRandom;
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
 * A full training step (forward + backward + update) of the MLP with SGD and with Path-SGD,
 * side by side in one JVM: two models of the same weights on the same random batch, each warmed up,
 * then rounds that alternate a block of SGD steps and a block of Path-SGD steps, so both see the same
 * load on a shared machine. Prints the median step and the median update alone (the optimizer's
 * step() inside it) for each, and the ratio of the step medians (the target: ≤ 1.10). Not a
 * test. Arguments: threads (2), rounds (15), steps per block (4), spec (mlp:784-4000-4000-10), batch (100).
 */
public final class PathStepThroughput {
    private PathStepThroughput() {
    }

    /** One optimizer's model, state and per-step timings. */
    private static final class Runner implements AutoCloseable {
        final String name;
        final Model model;
        final Optimizer opt;
        final OptimizerState state;
        final double[] step;
        final double[] update;
        int n;
        double loss;

        Runner(String name, String spec, Optimizer opt, int samples) {
            this.name = name;
            this.model = Zoo.build(spec, DType.F32, InitScheme.GAUSSIAN, 1);
            this.opt = opt;
            this.state = opt instanceof PathSGD p ? p.init(model.parameters(), PathNetworks.of(model))
                    : opt.init(model.parameters());
            this.step = new double[samples];
            this.update = new double[samples];
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
            opt.step(state, model.parameters(), model.gradients());
            long t2 = System.nanoTime();
            if (record) {
                step[n] = (t2 - t0) / 1e6;
                update[n++] = (t2 - t1) / 1e6;
            }
        }

        @Override
        public void close() {
            state.close();
            model.close();
        }
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int block = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String spec = args.length > 3 ? args[3] : "mlp:784-4000-4000-10";
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        try (Backend cpu = Backends.cpu(threads); BufferPool pool = new BufferPool(); Scope data = Scope.open();
                Runner sgd = new Runner("sgd", spec, new SGD(1e-3), rounds * block);
                Runner path = new Runner("path-sgd", spec, new PathSGD(1e-4), rounds * block)) {
            int inputs = sgd.model.parameter("0.weight").shape()[1];
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version() + "; " + spec + " batch " + batch
                    + ", " + sgd.model.numParameters() + " parameters, F32");
            SplittableRandom rng = new SplittableRandom(2);
            Tensor x = data.uniform(DType.F32, rng, 0, 1, batch, inputs);
            Tensor y = data.empty(DType.F32, batch);
            for (int i = 0; i < batch; i++) {
                y.set(rng.nextInt(10), i);
            }
            for (Runner r : new Runner[] {sgd, path}) {
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 5e9) {
                    r.run(cpu, pool, x, y, false);
                }
            }
            long bytes = pool.allocatedBytes();
            for (int k = 0; k < rounds; k++) {
                for (Runner r : k % 2 == 0 ? new Runner[] {sgd, path} : new Runner[] {path, sgd}) {
                    for (int s = 0; s < block; s++) {
                        r.run(cpu, pool, x, y, true);
                    }
                }
            }
            if (pool.allocatedBytes() != bytes) {
                throw new AssertionError("pool grew " + bytes + " -> " + pool.allocatedBytes());
            }
            for (Runner r : new Runner[] {sgd, path}) {
                if (!Double.isFinite(r.loss)) {
                    throw new AssertionError(r.name + ": loss " + r.loss);
                }
                System.out.printf("%-9s step median %7.2f ms (min %7.2f)   update median %6.2f ms (min %6.2f)   loss %.4f%n",
                        r.name, median(r.step), min(r.step), median(r.update), min(r.update), r.loss);
            }
            System.out.printf("path-sgd / sgd step: %.3f (medians of %d interleaved steps each)%n",
                    median(path.step) / median(sgd.step), rounds * block);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
