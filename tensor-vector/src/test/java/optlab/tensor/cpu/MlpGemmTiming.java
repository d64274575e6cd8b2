package optlab.tensor.cpu;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.simd.Simd;

/**
 * Tuning aid, not a test: the GEMMs of one SGD step of the 784-4000-4000-10 MLP at batch 100, with
 * the layouts and betas the Linear op uses (forward onto the bias, ∂W into the gradient), timed one
 * by one. With 1 thread it reports this thread's CPU time (robust to other processes on a shared
 * machine), else wall time; medians over rounds, in ms. Beside the GEMMs: the gradient memset the
 * step does first, ∂W of layer 2 as a first write (beta = 0), and reads and packs of W2 alone (how
 * much of a pack is memory). -Dab=true alternates old and new variants round by round (see configure).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.MlpGemmTiming THREADS ROUNDS ["dW L2,fwd L1"]
 * </pre>
 */
public final class MlpGemmTiming {
    private static Object bean;
    private static double sink;
    private static Method cpuTime;

    private MlpGemmTiming() {
    }

    /** This thread's CPU time in ns, through reflection: the module does not read java.management. */
    private static long threadCpuNanos() {
        try {
            if (bean == null) {
                bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
                cpuTime = Class.forName("java.lang.management.ThreadMXBean").getMethod("getCurrentThreadCpuTime");
            }
            return (Long) cpuTime.invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The A/B hook (-Dab=true): sets the switch of a variant under test to its old value when old is
     * true (none at present; a variant gets a static switch while it is being measured).
     */
    private static void configure(boolean old) {
    }

    /** Sum of a contiguous F32 tensor by vectors: its memory read once, sequentially. */
    private static double readAll(Tensor t) {
        var seg = t.segment();
        var acc = jdk.incubator.vector.FloatVector.zero(Simd.F32);
        long bytes = t.numel() * 4, base = t.offset() * 4;
        for (long o = 0; o < bytes; o += Simd.F32.vectorByteSize()) {
            acc = acc.add(jdk.incubator.vector.FloatVector.fromMemorySegment(Simd.F32, seg, base + o,
                    java.nio.ByteOrder.nativeOrder()));
        }
        return acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int batch = 100, in = 784, h = 4000, out = 10;
        try (CpuBackend cpu = new CpuBackend(threads); Scope s = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(1);
            DType f = DType.F32;
            Tensor x = s.uniform(f, rng, 0, 1, batch, in);
            Tensor w1 = s.uniform(f, rng, -0.03, 0.03, h, in), w2 = s.uniform(f, rng, -0.01, 0.01, h, h);
            Tensor w3 = s.uniform(f, rng, -0.01, 0.01, out, h);
            Tensor h1 = s.uniform(f, rng, 0, 1, batch, h), h2 = s.uniform(f, rng, 0, 1, batch, h);
            Tensor y3 = s.zeros(f, batch, out);
            Tensor g3 = s.uniform(f, rng, -1, 1, batch, out), g2 = s.uniform(f, rng, -1, 1, batch, h);
            Tensor g1 = s.uniform(f, rng, -1, 1, batch, h), d2 = s.zeros(f, batch, h);
            Tensor gw1 = s.zeros(f, h, in), gw2 = s.zeros(f, h, h), gw3 = s.zeros(f, out, h);
            String[] names = {"fwd L1", "fwd L2", "fwd L3", "dX L3", "dW L3", "dX L2", "dW L2", "dW L1", "zero grads", "dW L2 b=0", "read W2", "packRows W2", "packT W2"};
            GemmMatrix wm = new GemmMatrix(w2.segment(), w2.offset(), h, 1);
            float[] bp = new float[GemmKernelF32.KC * GemmBlockedF32.NC], scratch = new float[2 * 16 * 16];
            Runnable[] ops = {
                () -> cpu.gemm(1, x, w1.mT(), 1, h1),
                () -> cpu.gemm(1, h1, w2.mT(), 1, h2),
                () -> cpu.gemm(1, h2, w3.mT(), 1, y3),
                () -> cpu.gemm(1, g3, w3, 0, d2),
                () -> cpu.gemm(1, g3.mT(), h2, 1, gw3),
                () -> cpu.gemm(1, g2, w2, 0, d2),
                () -> cpu.gemm(1, g2.mT(), h1, 1, gw2),
                () -> cpu.gemm(1, g1.mT(), x, 1, gw1),
                () -> {
                    cpu.fill(gw1, 0);
                    cpu.fill(gw2, 0);
                    cpu.fill(gw3, 0);
                },
                () -> cpu.gemm(1, g2.mT(), h1, 0, gw2),
                () -> sink += readAll(w2),
                () -> {
                    // As the blocked GEMM packs a row-major B of k×n = W2, every slice and block.
                    for (int jc = 0; jc < h; jc += GemmBlockedF32.NC) {
                        int nc = Math.min(GemmBlockedF32.NC, h - jc);
                        for (int pc = 0; pc < h; pc += GemmKernelF32.KC) {
                            int kc = Math.min(GemmKernelF32.KC, h - pc);
                            GemmPackF32.packBRows(wm, pc, kc, jc, nc, bp, 0, kc);
                        }
                    }
                },
                () -> {
                    // As the forward packs B = W2ᵀ, one micro-panel at a time.
                    GemmMatrix wt = wm.transposed();
                    for (int pc = 0; pc < h; pc += GemmKernelF32.KC) {
                        int kc = Math.min(GemmKernelF32.KC, h - pc);
                        for (int j = 0; j < h; j += GemmKernelF32.NR) {
                            GemmPackF32.packB(wt, pc, kc, j, GemmKernelF32.NR, bp, 0, scratch);
                        }
                    }
                },
            };
            if (args.length > 2) {
                // Only the named ops (e.g. "dW L2"), for profiling one at a time.
                java.util.List<String> only = Arrays.asList(args[2].split(","));
                for (int i = 0; i < ops.length; i++) {
                    if (!only.contains(names[i])) {
                        ops[i] = () -> { };
                    }
                }
            }
            // A/B: -Dab=true alternates configuration 0 (old) and 1 (new) round by round, in this process.
            int configs = Boolean.getBoolean("ab") ? 2 : 1;
            double[][][] ms = new double[configs][ops.length][rounds];
            for (int warm = 0; warm < 5; warm++) {
                for (int cf = 0; cf < configs; cf++) {
                    configure(configs == 2 && cf == 0);
                    for (Runnable op : ops) {
                        op.run();
                    }
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int cf = 0; cf < configs; cf++) {
                    configure(configs == 2 && cf == 0);
                    for (int i = 0; i < ops.length; i++) {
                        long c0 = threadCpuNanos(), t0 = System.nanoTime();
                        ops[i].run();
                        long c1 = threadCpuNanos(), t1 = System.nanoTime();
                        ms[cf][i][r] = (threads == 1 ? c1 - c0 : t1 - t0) * 1e-6;
                    }
                }
            }
            for (int cf = 0; cf < configs; cf++) {
                double total = 0;
                System.out.println(configs == 1 ? "" : "config " + cf);
                for (int i = 0; i < ops.length; i++) {
                    Arrays.sort(ms[cf][i]);
                    double med = ms[cf][i][rounds / 2];
                    total += med;
                    System.out.printf("%-10s %7.2f ms (min %7.2f)%n", names[i], med, ms[cf][i][0]);
                }
                System.out.printf("%-10s %7.2f ms  (%s, %s)%n", "total", total, threads == 1 ? "thread CPU" : "wall",
                        cpu.describe());
            }
        }
    }
}
