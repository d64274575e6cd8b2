package optlab.experiments.online;

import java.util.SplittableRandom;
import java.util.List;
import optlab.experiments.loop.Objective;
import optlab.experiments.loop.TrainingLoop;
import optlab.experiments.run.LossKind;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
import optlab.optim.OptimizerState;
import optlab.optim.SGD;
import optlab.optim.schedule.Constant;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * Wall time of one online SGD step as a sweep run does it (forward of the centered model, MSE against one-hot
 * targets, backward, plain SGD update: the {@link TrainingLoop}'s step), on one fixed random batch so that only the
 * step is timed: the same loop as experiments/scripts/torch_mup_step.py times in PyTorch.
 */
public final class StepTiming {
    private static final int WINDOWS = 10;
    /** Steps per call of the loop. */
    private static final int CHUNK = 4;
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
        return measure(model, p, dtype, batch, threads, warmupSeconds, seconds, "cpu");
    }

    /**
     * As above on backend {@code backend} ("cpu" or "cuda"): on a device the model and optimizer state live there and
     * each step uploads the batch and reads the loss back, as a training run's step does.
     */
    public static Result measure(String model, Parameterization p, DType dtype, int batch, int threads,
            double warmupSeconds, double seconds, String backend) {
        int outputs;
        int inputs;
        try (Model probe = p.build(model, dtype, InitScheme.PYTORCH, 0)) {
            Tensor first = probe.namedParameters().values().iterator().next().value();
            inputs = first.dim(1);
        }
        String[] sizes = model.substring(model.indexOf(':') + 1).split(",")[0].split("-");
        outputs = Integer.parseInt(sizes[sizes.length - 1].trim());
        try (Backend on = Backends.byName(backend, threads); Scope scope = Scope.open(); BufferPool pool = new BufferPool();
             Model m = p.build(model, dtype, InitScheme.PYTORCH, 0)) {
            m.place(on);
            SplittableRandom rng = new SplittableRandom(1);
            Tensor x = scope.randn(dtype, rng, batch, inputs);
            Tensor y = scope.empty(dtype, batch);
            for (int i = 0; i < batch; i++) {
                y.setFlat(i, rng.nextInt(outputs));
            }
            Objective objective = new Objective(LossKind.MSE, outputs, Objective.flattens(m));
            double lr = p.learningRate(1e-3, Parameterization.width(model));
            SGD sgd = new SGD(lr);
            try (OptimizerState state = sgd.init(m.parameters())) {
                TrainingLoop loop = new TrainingLoop(m, sgd, state, objective, on, pool, new Constant(lr), List.of());
                // Warm-up by time, not steps: on a busy machine the JIT needs seconds to compile the vector kernels.
                for (long w0 = System.nanoTime(); System.nanoTime() - w0 < (long) (warmupSeconds * 1e9); ) {
                    loop.runFixed(x, y, CHUNK, r -> { });
                }
                double[] perStep = new double[WINDOWS];
                long total = 0, window = (long) (seconds * 1e9 / WINDOWS);
                for (int w = 0; w < WINDOWS; w++) {
                    long steps = 0, t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < window) {
                        loop.runFixed(x, y, CHUNK, r -> { });
                        steps += CHUNK;
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
}
