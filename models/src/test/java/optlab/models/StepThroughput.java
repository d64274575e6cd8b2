package optlab.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
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
 * Training throughput measured as experiments/scripts/torch_train_bench.py measures PyTorch's: plain
 * SGD (lr only), random data of the real shape, warm-up, then as many steps as fit in the time,
 * reported as samples/s overall and per window (five equal windows and their median). Warm-up is
 * seconds rather than torch's 3 steps, since the JIT compiles the vector kernels during the first steps. Checks first that CPU logits match the reference backend's
 * and afterwards that the pool did not grow. Not a test. Arguments: threads, seconds, spec, batch,
 * input shape; defaults are the MLP.
 */
public final class StepThroughput {
    /** Measurement windows, each reported with its own rate (odd, so the median is one of them). */
    private static final int WINDOWS = 5;

    private StepThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        String spec = args.length > 2 ? args[2] : "mlp:784-4000-4000-10";
        int[] shape = args.length > 3 ? java.util.Arrays.stream(args).skip(3).mapToInt(Integer::parseInt).toArray()
                : new int[] {100, 784};
        try (Backend cpu = Backends.cpu(threads); Backend ref = Backends.reference();
                Model m = Zoo.build(spec, DType.F32, InitScheme.PYTORCH, 1); BufferPool pool = new BufferPool();
                Scope data = Scope.open()) {
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version());
            SplittableRandom rng = new SplittableRandom(2);
            Tensor x = data.uniform(DType.F32, rng, 0, 1, shape);
            Tensor y = data.empty(DType.F32, shape[0]);
            for (int i = 0; i < shape[0]; i++) {
                y.set(rng.nextInt(10), i);
            }
            ZooTiming.validate(cpu, ref, m, x, data);
            SGD sgd = new SGD(0.01);
            try (OptimizerState st = sgd.init(m.parameters())) {
                Runnable step = () -> {
                    m.zeroGrad();
                    try (Graph g = Graph.open(cpu, pool)) {
                        Variable l = g.crossEntropy(m.forward(g, Variable.constant(x)), y);
                        g.backward(l);
                        if (!Double.isFinite(l.value().item())) {
                            throw new AssertionError(spec + ": loss " + l.value().item());
                        }
                    }
                    sgd.step(st, m.parameters(), m.gradients());
                };
                long t0 = System.nanoTime(), warm = 0;
                while (System.nanoTime() - t0 < 5e9) {
                    step.run();
                    warm++;
                }
                System.out.printf("warm-up: %d steps in %.1f s%n", warm, (System.nanoTime() - t0) / 1e9);
                long bytes = pool.allocatedBytes();
                // The time in WINDOWS equal windows, each reported: one average would hide a slow mode
                // (code running interpreted after a deoptimization) or a late compile.
                // Also the process's CPU time per step: on a loaded machine wall time swings, CPU time much less.
                double[] rates = new double[WINDOWS], cpuMs = new double[WINDOWS];
                long steps = 0;
                long start = System.nanoTime();
                for (int w = 0; w < WINDOWS; w++) {
                    long w0 = System.nanoTime(), c0 = processCpuNanos(), n = 0;
                    while (System.nanoTime() - w0 < seconds / WINDOWS * 1e9) {
                        step.run();
                        n++;
                    }
                    rates[w] = n * shape[0] / ((System.nanoTime() - w0) / 1e9);
                    cpuMs[w] = (processCpuNanos() - c0) / 1e6 / n;
                    steps += n;
                }
                double dt = (System.nanoTime() - start) / 1e9;
                if (pool.allocatedBytes() != bytes) {
                    throw new AssertionError(spec + ": pool grew " + bytes + " -> " + pool.allocatedBytes());
                }
                System.out.printf("%s batch %d  params %,d  %.1f samples/s (%.1f ms/step, %d steps)  pool %d MB"
                        + "  peak RSS %s%n",
                        spec, shape[0], m.numParameters(), steps * shape[0] / dt, dt / steps * 1e3, steps, bytes >> 20,
                        peakRss());
                StringBuilder line = new StringBuilder("windows samples/s:");
                for (double r : rates) {
                    line.append(String.format(" %.1f", r));
                }
                double[] sorted = rates.clone();
                java.util.Arrays.sort(sorted);
                System.out.println(line.append(String.format("  median %.1f", sorted[WINDOWS / 2])));
                line = new StringBuilder("windows CPU ms/step:");
                for (double c : cpuMs) {
                    line.append(String.format(" %.1f", c));
                }
                sorted = cpuMs.clone();
                java.util.Arrays.sort(sorted);
                System.out.println(line.append(String.format("  median %.1f", sorted[WINDOWS / 2])));
            }
        }
    }

    /** CPU time of the whole process (all threads, JIT and GC included). */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** VmHWM of this process (Linux), or "n/a". */
    private static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring(6).trim()).findFirst().orElse("n/a");
    }
}
