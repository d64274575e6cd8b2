package optlab.experiments.loop;

import java.util.List;
import java.util.SplittableRandom;
import optlab.experiments.run.LossKind;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
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
 * Training throughput of the {@link TrainingLoop}, measured exactly as models' {@code StepThroughput} measures its
 * hand-written step (plain SGD lr 0.01, random data of the real shape, 5 s warm-up, five equal windows, CPU ms per
 * step), so the two can be run one after the other to show that the loop costs nothing. Not a test. Arguments:
 * threads, seconds, spec, batch, input shape.
 */
public final class LoopThroughput {
    private static final int WINDOWS = 5;

    private LoopThroughput() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        String spec = args.length > 2 ? args[2] : "mlp:784-4000-4000-10";
        int[] shape = args.length > 3 ? java.util.Arrays.stream(args).skip(3).mapToInt(Integer::parseInt).toArray()
                : new int[] {100, 784};
        try (Backend cpu = Backends.cpu(threads); Model m = Zoo.build(spec, DType.F32, InitScheme.PYTORCH, 1);
             BufferPool pool = new BufferPool(); Scope data = Scope.open()) {
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version() + "; TrainingLoop");
            SplittableRandom rng = new SplittableRandom(2);
            Tensor x = data.uniform(DType.F32, rng, 0, 1, shape);
            Tensor y = data.empty(DType.F32, shape[0]);
            for (int i = 0; i < shape[0]; i++) {
                y.set(rng.nextInt(10), i);
            }
            SGD sgd = new SGD(0.01);
            try (OptimizerState st = sgd.init(m.parameters())) {
                TrainingLoop loop = new TrainingLoop(m, sgd, st, new Objective(LossKind.CROSS_ENTROPY, 10, false), cpu,
                        pool, new Constant(0.01), List.of());
                long t0 = System.nanoTime(), warm = 0;
                while (System.nanoTime() - t0 < 5e9) {
                    loop.runFixed(x, y, 1, r -> { });
                    warm++;
                }
                System.out.printf("warm-up: %d steps in %.1f s%n", warm, (System.nanoTime() - t0) / 1e9);
                double[] rates = new double[WINDOWS], cpuMs = new double[WINDOWS];
                long steps = 0, start = System.nanoTime();
                for (int w = 0; w < WINDOWS; w++) {
                    long w0 = System.nanoTime(), c0 = cpuNanos(), n = 0;
                    while (System.nanoTime() - w0 < seconds / WINDOWS * 1e9) {
                        loop.runFixed(x, y, 1, r -> { });
                        n++;
                    }
                    rates[w] = n * shape[0] / ((System.nanoTime() - w0) / 1e9);
                    cpuMs[w] = (cpuNanos() - c0) / 1e6 / n;
                    steps += n;
                }
                double dt = (System.nanoTime() - start) / 1e9;
                double[] r = rates.clone(), c = cpuMs.clone();
                java.util.Arrays.sort(r);
                java.util.Arrays.sort(c);
                System.out.printf("%s batch %d  %.1f samples/s (%.1f ms/step, %d steps)  median window %.1f samples/s,"
                        + " CPU %.1f ms/step%n", spec, shape[0], steps * shape[0] / dt, dt / steps * 1e3, steps,
                        r[WINDOWS / 2], c[WINDOWS / 2]);
            }
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
