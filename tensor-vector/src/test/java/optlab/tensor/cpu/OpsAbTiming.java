package optlab.tensor.cpu;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Functions;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Tuning aid, not a test: A/B timings of one-thread kernel variants inside one JVM, for a machine
 * shared with other work. Variants A and B alternate in rounds; each round times a batch of calls
 * by wall clock (the test module reads no java.management for CPU time), and the median B/A ratio
 * over the rounds is printed (below 1: B is faster); neighbouring A and B rounds see the same load. Cases: pool (2×2/2 max pooling forward and backward of [64, 64, 16, 16] F32 planes:
 * A = row-at-a-time {@link Pool2x2F32}, B = {@link Pool2x2PackedF32}; and 32×32 planes without
 * (A) and with (B) argmax); layernorm (forward and backward of a
 * layer norm with affine on [8320, 192] F32, 1 thread: A = the composed ops, B = Functions.layerNorm,
 * the fused batch-norm primitive over rows); relupool (ReLU and 2×2 max pooling, forward and backward, on
 * [128, 32, 32, 32] F32, 1 thread: A = ReLU then pool, B = pool then ReLU, as models' Sequential runs them).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.OpsAbTiming pool|layernorm|relupool ROUNDS
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
                case "layernorm" -> layerNorm(s, rounds);
                case "relupool" -> reluPool(s, rounds);
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
        Tensor x32 = s.uniform(DType.F32, new SplittableRandom(3), -1, 1, planes / 4, 32, 32);
        var x32s = x32.segment();
        ab("maxPool2d fwd 32x32, argmax", rounds,
                () -> {
                    for (int p = 0; p < planes / 4; p++) {
                        Pool2x2F32.max(0, 32, 16, 16, x32s, p * 1024L, 32, os, p * 256L, 16, null, 0, 0);
                    }
                },
                () -> {
                    for (int p = 0; p < planes / 4; p++) {
                        Pool2x2F32.max(0, 32, 16, 16, x32s, p * 1024L, 32, os, p * 256L, 16, as, p * 256L, 16);
                    }
                });
        rowsFwd.run();
        ab("maxPool2d bwd 16x16", rounds, rowsBwd, packedBwd);
        Tensor arg32 = s.empty(DType.F32, planes / 4, 16, 16), gx32 = s.empty(DType.F32, planes / 4, 32, 32);
        var a32 = arg32.segment();
        var gx32s = gx32.segment();
        for (int p = 0; p < planes / 4; p++) {
            Pool2x2F32.max(0, 32, 16, 16, x32s, p * 1024L, 32, os, p * 256L, 16, a32, p * 256L, 16);
        }
        Runnable bwd32 = () -> {
            for (int p = 0; p < planes / 4; p++) {
                Pool2x2F32.maxBackward(0, 32, 32, 16, 16, gs, p * 256L, 16, a32, p * 256L, 16, gx32s, p * 1024L, 32);
            }
        };
        ab("maxPool2d bwd 32x32 (A = B)", rounds, bwd32, bwd32);
    }

    private static void layerNorm(Scope s, int rounds) {
        try (CpuBackend cpu = new CpuBackend(1); optlab.tensor.BufferPool pool = new optlab.tensor.BufferPool()) {
            int rows = 8320, d = 192;
            Tensor x = s.uniform(DType.F32, new SplittableRandom(1), -2, 2, rows, d);
            Tensor gamma = s.uniform(DType.F32, new SplittableRandom(2), 0.5, 1.5, d);
            Tensor beta = s.uniform(DType.F32, new SplittableRandom(3), -1, 1, d);
            Tensor seed = s.uniform(DType.F32, new SplittableRandom(4), -1, 1, rows, d);
            Tensor gx = s.zeros(DType.F32, rows, d), gg = s.zeros(DType.F32, d), gb = s.zeros(DType.F32, d);
            Runnable composed = () -> {
                try (Graph g = Graph.open(cpu, pool)) {
                    Variable vx = Variable.parameter(x, gx), vg = Variable.parameter(gamma, gg), vb = Variable.parameter(beta, gb);
                    Variable mean = g.mean(vx, true, -1);
                    Variable var = g.variance(vx, 0, true, -1);
                    Variable xhat = g.div(g.sub(vx, mean), g.sqrt(g.addScalar(var, 1e-5)));
                    g.backward(g.add(g.mul(xhat, vg), vb), seed);
                }
            };
            Runnable fused = () -> {
                try (Graph g = Graph.open(cpu, pool)) {
                    Variable vx = Variable.parameter(x, gx), vg = Variable.parameter(gamma, gg), vb = Variable.parameter(beta, gb);
                    g.backward(Functions.layerNorm(g, vx, vg, vb, 1e-5), seed);
                }
            };
            ab("layerNorm fwd+bwd [8320, 192]", rounds, composed, fused);
        }
    }

    private static void reluPool(Scope s, int rounds) {
        try (CpuBackend cpu = new CpuBackend(1); optlab.tensor.BufferPool pool = new optlab.tensor.BufferPool()) {
            Tensor x = s.uniform(DType.F32, new SplittableRandom(1), -1, 1, 128, 32, 32, 32);
            Tensor seed = s.uniform(DType.F32, new SplittableRandom(2), -1, 1, 128, 32, 16, 16);
            Tensor gx = s.zeros(DType.F32, x.shape());
            optlab.tensor.backend.Pool2dSpec spec = new optlab.tensor.backend.Pool2dSpec(2, 2, 2, 2, 0, 0);
            Runnable reluFirst = () -> {
                try (Graph g = Graph.open(cpu, pool)) {
                    g.backward(g.maxPool2d(g.relu(Variable.parameter(x, gx)), spec), seed);
                }
            };
            Runnable poolFirst = () -> {
                try (Graph g = Graph.open(cpu, pool)) {
                    g.backward(g.relu(g.maxPool2d(Variable.parameter(x, gx), spec)), seed);
                }
            };
            ab("relu+maxPool fwd+bwd", rounds, reluFirst, poolFirst);
        }
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
