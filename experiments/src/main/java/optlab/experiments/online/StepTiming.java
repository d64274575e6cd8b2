package optlab.experiments.online;

import java.util.SplittableRandom;
import optlab.experiments.run.LossKind;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
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
 * Wall time of one online SGD step as a sweep run does it (forward of the centered model, MSE against one-hot
 * targets, backward, plain SGD update), on one fixed random batch so that only the step is timed: the same loop as
 * experiments/scripts/torch_mup_step.py times in PyTorch.
 */
public final class StepTiming {
    private static final int WINDOWS = 10;
    private StepTiming() {
    }

    /**
     * Seconds per step over {@code seconds} after {@code warmupSeconds} of untimed steps, in ten equal windows: the median
     * window and the best (on a shared machine the best is the least disturbed).
     */
    public record Result(String model, String parameterization, DType dtype, int batch, int threads, long steps,
            double medianSecondsPerStep, double bestSecondsPerStep) {
    }

    public static Result measure(String model, Parameterization p, DType dtype, int batch, int threads,
            double warmupSeconds, double seconds) {
        int outputs;
        int inputs;
        try (Model probe = p.build(model, dtype, InitScheme.PYTORCH, 0)) {
            Tensor first = probe.namedParameters().values().iterator().next().value();
            inputs = first.dim(1);
        }
        String[] sizes = model.substring(model.indexOf(':') + 1).split(",")[0].split("-");
        outputs = Integer.parseInt(sizes[sizes.length - 1].trim());
        try (Backend backend = Backends.cpu(threads); Scope scope = Scope.open(); BufferPool pool = new BufferPool();
             Model m = p.build(model, dtype, InitScheme.PYTORCH, 0)) {
            SplittableRandom rng = new SplittableRandom(1);
            Tensor x = scope.randn(dtype, rng, batch, inputs);
            Tensor y = scope.empty(dtype, batch);
            for (int i = 0; i < batch; i++) {
                y.setFlat(i, rng.nextInt(outputs));
            }
            Objective objective = new Objective(LossKind.MSE, outputs, false);
            double lr = p.learningRate(1e-3, Parameterization.width(model));
            SGD sgd = new SGD(lr);
            try (OptimizerState state = sgd.init(m.parameters()).runOn(backend)) {
                // Warm-up by time, not steps: on a busy machine the JIT needs seconds to compile the vector kernels.
                for (long w0 = System.nanoTime(); System.nanoTime() - w0 < (long) (warmupSeconds * 1e9); ) {
                    step(m, objective, backend, pool, x, y, sgd, state, lr);
                }
                double[] perStep = new double[WINDOWS];
                long total = 0, window = (long) (seconds * 1e9 / WINDOWS);
                for (int w = 0; w < WINDOWS; w++) {
                    long steps = 0, t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < window) {
                        step(m, objective, backend, pool, x, y, sgd, state, lr);
                        steps++;
                    }
                    perStep[w] = (System.nanoTime() - t0) * 1e-9 / steps;
                    total += steps;
                }
                java.util.Arrays.sort(perStep);
                return new Result(model, p.spec(), dtype, batch, threads, total,
                        (perStep[WINDOWS / 2 - 1] + perStep[WINDOWS / 2]) / 2, perStep[0]);
            }
        }
    }

    private static void step(Model m, Objective objective, Backend backend, BufferPool pool, Tensor x, Tensor y, SGD sgd,
            OptimizerState state, double lr) {
        m.zeroGrad();
        try (Graph g = Graph.open(backend, pool)) {
            Variable loss = objective.loss(g, m.forward(g, Variable.constant(x)), y);
            g.backward(loss);
        }
        sgd.step(state, m.parameters(), m.gradients(), lr);
    }
}
