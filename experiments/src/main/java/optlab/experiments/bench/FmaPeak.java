package optlab.experiments.bench;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntToLongFunction;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import optlab.tensor.DType;

/**
 * The machine's FMA peak, measured in the same run as the figures it scales: {@value #CHAINS} independent chains
 * of fused multiply-adds on the widest vectors (enough to cover the FMA latency times the FMA ports of current x86
 * cores), no memory traffic, on 1 and on N threads at once. A figure's fraction of it reads the same on any machine;
 * each thread's rate is its best short window (see {@link #WINDOW_NANOS}), so other jobs on the machine lower it
 * less than they lower the figures.
 * GFLOP/s counts 2 flops per lane per FMA, as GEMM's 2·M·K·N does.
 */
public final class FmaPeak {
    static final int CHAINS = 16;
    /**
     * The best of many 2 ms windows: shorter than a scheduler slice, so on a machine shared with other jobs some
     * windows run undisturbed and the peak is the core's, not its share (measured here: best of 0.3 s windows read
     * half the peak at a load average of 8 on 2 cores).
     */
    static final long WINDOW_NANOS = 2_000_000;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static volatile double sink;

    private FmaPeak() {
    }

    /** Peak GFLOP/s of {@code threads} threads in {@code dtype}: each thread's best window over {@code seconds}, summed. */
    public static double gflops(DType dtype, int threads, double seconds) {
        int lanes = dtype == DType.F32 ? F.length() : D.length();
        if (threads == 1) {
            return 2.0 * lanes * bestWindow(chains(dtype), seconds) / 1e9;
        }
        double[] best = new double[threads];
        Thread[] team = new Thread[threads];
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int id = t;
            team[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                double rate = bestWindow(chains(dtype), seconds);
                best[id] = rate;
            }, "fma-peak-" + t);
            team[t].start();
        }
        go.countDown();
        for (Thread t : team) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double total = 0;
        for (double r : best) {
            total += r;
        }
        return 2.0 * lanes * total / 1e9;
    }

    /**
     * FMAs per second of the best {@link #WINDOW_NANOS} window within {@code seconds}, the chains called through a
     * function object (one loop for both dtypes). The chains start from different values: started equal, they were
     * equal expressions to C2, which could fold them into fewer chains, and the peak read half the true one (108
     * against 210 GFLOP/s F32 on one thread here, below our own 1024³ GEMM's 186).
     */
    private static double bestWindow(IntToLongFunction chains, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        double rate = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime(), fmas = 0;
            while (System.nanoTime() - t0 < WINDOW_NANOS) {
                fmas += chains.applyAsLong(256);
            }
            rate = Math.max(rate, fmas / ((System.nanoTime() - t0) * 1e-9));
        }
        return rate;
    }

    private static IntToLongFunction chains(DType dtype) {
        return dtype == DType.F32 ? FmaPeak::chainsF32 : FmaPeak::chainsF64;
    }

    /** CHAINS independent FMA chains of n steps each; returns the FMAs done (vector instructions). */
    private static long chainsF32(int n) {
        FloatVector a = FloatVector.broadcast(F, 0.999999f), b = FloatVector.broadcast(F, 1e-7f);
        // Sixteen different starting values: equal chains would be one chain to C2's value numbering.
        FloatVector c0 = b, c1 = b.add(1), c2 = b.add(2), c3 = b.add(3), c4 = b.add(4), c5 = b.add(5), c6 = b.add(6);
        FloatVector c7 = b.add(7), c8 = b.add(8), c9 = b.add(9), c10 = b.add(10), c11 = b.add(11), c12 = b.add(12);
        FloatVector c13 = b.add(13), c14 = b.add(14), c15 = b.add(15);
        for (int i = 0; i < n; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
            c12 = c12.fma(a, b);
            c13 = c13.fma(a, b);
            c14 = c14.fma(a, b);
            c15 = c15.fma(a, b);
        }
        sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).lane(0);
        return (long) n * CHAINS;
    }

    private static long chainsF64(int n) {
        DoubleVector a = DoubleVector.broadcast(D, 0.999999), b = DoubleVector.broadcast(D, 1e-7);
        // Sixteen different starting values: equal chains would be one chain to C2's value numbering.
        DoubleVector c0 = b, c1 = b.add(1), c2 = b.add(2), c3 = b.add(3), c4 = b.add(4), c5 = b.add(5), c6 = b.add(6);
        DoubleVector c7 = b.add(7), c8 = b.add(8), c9 = b.add(9), c10 = b.add(10), c11 = b.add(11), c12 = b.add(12);
        DoubleVector c13 = b.add(13), c14 = b.add(14), c15 = b.add(15);
        for (int i = 0; i < n; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
            c12 = c12.fma(a, b);
            c13 = c13.fma(a, b);
            c14 = c14.fma(a, b);
            c15 = c15.fma(a, b);
        }
        sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).lane(0);
        return (long) n * CHAINS;
    }

    /**
     * Runs short windows for at least 2 s and until the rate stops rising (C2 has compiled the chains: the Vector API
     * is orders of magnitude slower before, and flat there too), at most 10 s.
     */
    static void warmUp(DType dtype) {
        double best = 0;
        int flat = 0;
        long start = System.nanoTime(), end = start + 10_000_000_000L, min = start + 2_000_000_000L;
        while ((flat < 3 || System.nanoTime() < min) && System.nanoTime() < end) {
            double r = gflops(dtype, 1, 0.1);
            flat = r > 1.05 * best ? 0 : flat + 1;
            best = Math.max(best, r);
        }
    }

    /** Peaks per dtype and thread count, measured once each after a warm-up. */
    public record Table(java.util.Map<String, Double> gflops) {
        public static Table measure(java.util.Collection<DType> dtypes, java.util.Collection<Integer> threads, double seconds) {
            java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
            for (DType d : dtypes) {
                warmUp(d);
                // Twice over the thread counts, keeping the best: the first pass may still run code the JIT is
                // replacing (measured: 1 thread read half its peak when measured first, right after the warm-up).
                for (int pass = 0; pass < 2; pass++) {
                    for (int t : new java.util.TreeSet<>(threads)) {
                        m.merge(key(d.name(), t), FmaPeak.gflops(d, t, seconds / 2), Math::max);
                    }
                }
            }
            return new Table(m);
        }

        static String key(String dtype, int threads) {
            return dtype + " " + threads;
        }

        /** Peak GFLOP/s of this dtype and thread count, or null when not measured. */
        public Double of(String dtype, int threads) {
            return gflops.get(key(dtype, threads));
        }

        /** The figure as a percentage of the peak, "-" when either is missing. */
        public String percent(Double figure, String dtype, int threads) {
            Double peak = of(dtype, threads);
            return figure == null || peak == null || peak <= 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * figure / peak);
        }

        /** One line: "FMA peak (measured now): F32 1 thr 147 GF/s, F32 2 thr 290 GF/s, ...". */
        public String line() {
            StringBuilder b = new StringBuilder("FMA peak (measured in this run, " + CHAINS + " FMA chains, no memory):");
            gflops.forEach((k, v) -> b.append(' ').append(k).append(" thr ").append(optlab.experiments.bench.Table.num(v))
                    .append(" GF/s,"));
            b.setLength(b.length() - 1);
            return b.toString();
        }
    }
}
