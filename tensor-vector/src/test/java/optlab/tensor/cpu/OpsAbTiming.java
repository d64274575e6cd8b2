package optlab.tensor.cpu;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * Tuning aid, not a test: A/B timings of one-thread kernel variants inside one JVM, for a machine
 * shared with other work. Variants A and B alternate in rounds; each round times a batch of calls
 * by wall clock (the test module reads no java.management for CPU time), and the median B/A ratio
 * over the rounds is printed (below 1: B is faster); neighbouring A and B rounds see the same load. Cases: pool (2×2/2 max pooling forward and backward of [64, 64, 16, 16] F32 planes:
 * A = row-at-a-time {@link Pool2x2F32}, B = {@link Pool2x2PackedF32}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.OpsAbTiming pool ROUNDS
 * </pre>
 */
public final class OpsAbTiming {
    private OpsAbTiming() {
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "pool";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (Scope s = Scope.open()) {
            switch (which) {
                case "pool" -> pool(s, rounds);
                default -> throw new IllegalArgumentException("unknown case " + which);
            }
        }
    }

    private static void pool(Scope s, int rounds) {
        int planes = 64 * 64, h = 16, w = 16, ho = 8, wo = 8;
        Tensor x = s.uniform(DType.F32, new SplittableRandom(1), -1, 1, planes, h, w);
        Tensor out = s.empty(DType.F32, planes, ho, wo), arg = s.empty(DType.F32, planes, ho, wo);
        Tensor g = s.uniform(DType.F32, new SplittableRandom(2), -1, 1, planes, ho, wo);
        Tensor gx = s.empty(DType.F32, planes, h, w);
        var xs = x.segment();
        var os = out.segment();
        var as = arg.segment();
        var gs = g.segment();
        var gxs = gx.segment();
        Runnable rowsFwd = () -> {
            for (int p = 0; p < planes; p++) {
                Pool2x2F32.max(0, w, ho, wo, xs, (long) p * h * w, w, os, (long) p * ho * wo, wo, as, (long) p * ho * wo, wo);
            }
        };
        Runnable packedFwd = () -> {
            for (int p = 0; p < planes; p++) {
                Pool2x2PackedF32.max(ho, wo, xs, (long) p * h * w, os, (long) p * ho * wo, as, (long) p * ho * wo);
            }
        };
        Runnable rowsBwd = () -> {
            for (int p = 0; p < planes; p++) {
                Pool2x2F32.maxBackward(0, h, w, ho, wo, gs, (long) p * ho * wo, wo, as, (long) p * ho * wo, wo, gxs,
                        (long) p * h * w, w);
            }
        };
        Runnable packedBwd = () -> {
            for (int p = 0; p < planes; p++) {
                Pool2x2PackedF32.maxBackward(h, ho, wo, gs, (long) p * ho * wo, as, (long) p * ho * wo, gxs, (long) p * h * w);
            }
        };
        ab("maxPool2d fwd 16x16", rounds, rowsFwd, packedFwd);
        rowsFwd.run();
        ab("maxPool2d bwd 16x16", rounds, rowsBwd, packedBwd);
    }

    /** Alternates a and b for the given rounds (after as many warm-up rounds) and prints median times and ratio. */
    static void ab(String name, int rounds, Runnable a, Runnable b) {
        double[] ta = new double[rounds], tb = new double[rounds], ratio = new double[rounds];
        for (int r = -rounds; r < rounds; r++) {
            double x = time(a), y = time(b);
            if (r >= 0) {
                ta[r] = x;
                tb[r] = y;
                ratio[r] = y / x;
            }
        }
        System.out.printf(Locale.ROOT, "%-28s A %8.3f ms  B %8.3f ms  median B/A %.3f%n", name, median(ta), median(tb),
                median(ratio));
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 5e6;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
