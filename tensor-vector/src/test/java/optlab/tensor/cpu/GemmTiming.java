package optlab.tensor.cpu;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * Tuning aid, not a test: times CpuBackend.gemm and prints GFLOP/s (2·M·N·K / time) per shape,
 * after checking sampled entries of the result against double-precision dot products.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.GemmTiming THREADS F32|F64 SECONDS MxKxN[tA|tB|tAB] ...
 * </pre>
 * A suffix tA passes a as the transposed view of a stored K×M matrix (tB likewise for b).
 */
public final class GemmTiming {

    private GemmTiming() {
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        DType dtype = DType.valueOf(args[1]);
        double seconds = Double.parseDouble(args[2]);
        try (CpuBackend cpu = new CpuBackend(threads)) {
            System.out.println(cpu.describe());
            for (int i = 3; i < args.length; i++) {
                time(cpu, dtype, seconds, args[i]);
            }
        }
    }

    private static void time(CpuBackend cpu, DType dtype, double seconds, String spec) {
        String dims = spec.replaceAll("t.*$", "");
        boolean ta = spec.matches(".*tA.*"), tb = spec.matches(".*t(A)?B.*");
        String[] p = dims.split("x");
        int m = Integer.parseInt(p[0]), k = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]);
        try (Scope s = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(42);
            Tensor a = ta ? s.uniform(dtype, rng, -1, 1, k, m).mT() : s.uniform(dtype, rng, -1, 1, m, k);
            Tensor b = tb ? s.uniform(dtype, rng, -1, 1, n, k).mT() : s.uniform(dtype, rng, -1, 1, k, n);
            Tensor c = s.zeros(dtype, m, n);
            cpu.gemm(1, a, b, 0, c);
            check(a, b, c, m, n, k, rng);
            double flops = 2.0 * m * n * k, best = Double.MAX_VALUE, total = 0;
            int reps = 0;
            long until = System.nanoTime() + (long) (seconds * 1e9);
            double cpu0 = processCpuSeconds();
            while (System.nanoTime() < until || reps < 3) {
                long t0 = System.nanoTime();
                cpu.gemm(1, a, b, 0, c);
                double t = (System.nanoTime() - t0) * 1e-9;
                best = Math.min(best, t);
                total += t;
                reps++;
            }
            // On a shared machine wall time includes time other processes held our cores; CPU time
            // per thread does not (but counts JIT and spin time), so both are shown.
            double cpuPerThread = (processCpuSeconds() - cpu0) / cpu.threads();
            System.out.printf("%-20s %s threads=%d wall: best %6.1f mean %6.1f GFLOP/s | cpu/thread: mean %6.1f GFLOP/s"
                    + " (%d reps)%n", spec, dtype, cpu.threads(), flops / best * 1e-9, flops * reps / total * 1e-9,
                    flops * reps / cpuPerThread * 1e-9, reps);
        }
    }

    /** User + system CPU time of this process (Linux /proc, 10 ms ticks); NaN elsewhere. */
    private static double processCpuSeconds() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void check(Tensor a, Tensor b, Tensor c, int m, int n, int k, SplittableRandom rng) {
        for (int t = 0; t < 50; t++) {
            int i = rng.nextInt(m), j = rng.nextInt(n);
            double sum = 0, mag = 0;
            for (int q = 0; q < k; q++) {
                sum += a.get(i, q) * b.get(q, j);
                mag += Math.abs(a.get(i, q) * b.get(q, j));
            }
            if (Math.abs(c.get(i, j) - sum) > 1e-5 * mag + 1e-6) {
                throw new AssertionError("c[" + i + "," + j + "] = " + c.get(i, j) + ", expected " + sum);
            }
        }
    }
}
