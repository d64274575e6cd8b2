package optlab.tensor.cpu;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.internal.ConvGeometry;
import optlab.tensor.reference.ReferenceBackend;

/**
 * Rough single-thread timings of the kernels this package adds that do not go through GEMM: im2col and
 * col2im, pooling, distances (F32). Not a JMH benchmark: a quick, validated check that nothing is
 * pathologically slow. Each kernel's result is compared with the reference once before timing.
 * <pre>
 * ./mvnw -q -B -o -pl tensor-vector test-compile
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.ConvPoolDistanceTiming
 * </pre>
 */
final class ConvPoolDistanceTiming {
    private ConvPoolDistanceTiming() {
    }

    public static void main(String[] args) {
        try (Scope s = Scope.open(); CpuBackend cpu = new CpuBackend(1); Backend ref = new ReferenceBackend()) {
            System.out.println(cpu.describe() + ", " + Runtime.version());
            distances(s, cpu, ref);
            pooling(s, cpu, ref);
            im2col(s);
        }
    }

    private static void distances(Scope s, CpuBackend cpu, Backend ref) {
        int n = 512, m = 256, d = 64;
        Tensor x = TestTensors.random(s, DType.F32, 1, n, d), c = TestTensors.random(s, DType.F32, 2, m, d);
        Tensor w = TestTensors.random(s, DType.F32, 3, m, d), g = TestTensors.random(s, DType.F32, 4, n, m);
        Tensor out = s.zeros(DType.F32, n, m), want = s.zeros(DType.F32, n, m);
        Tensor gx = s.zeros(DType.F32, n, d), gc = s.zeros(DType.F32, m, d), gw = s.zeros(DType.F32, m, d);
        cpu.pairwiseSqDist(x, c, w, out);
        ref.pairwiseSqDist(x, c, w, want);
        TestTensors.assertClose(want, out, 1e-4, 1e-4);
        double terms = (double) n * m * d;
        report("pairwiseSqDist 512x256x64 weighted", terms, "Gterm/s", () -> cpu.pairwiseSqDist(x, c, w, out));
        report("  backward gx", terms, "Gterm/s", () -> cpu.pairwiseSqDistBackward(g, x, c, w, gx, null, null));
        report("  backward gc+gw", terms, "Gterm/s", () -> cpu.pairwiseSqDistBackward(g, x, c, w, null, gc, gw));
    }

    private static void pooling(Scope s, CpuBackend cpu, Backend ref) {
        Tensor x = TestTensors.random(s, DType.F32, 1, 32, 16, 32, 32);
        Tensor out = s.zeros(DType.F32, 32, 16, 16, 16), arg = s.zeros(DType.F32, 32, 16, 16, 16);
        Tensor want = s.zeros(DType.F32, 32, 16, 16, 16), gx = s.zeros(DType.F32, x.shape());
        Pool2dSpec two = Pool2dSpec.of(2);
        cpu.maxPool2d(x, two, out, arg);
        ref.maxPool2d(x, two, want, null);
        TestTensors.assertClose(want, out, 0, 0);
        double elems = x.numel();
        report("maxPool2d 2x2/2 on [32,16,32,32]", elems, "Gelem/s (input)", () -> cpu.maxPool2d(x, two, out, arg));
        report("  backward", elems, "Gelem/s (input)", () -> cpu.maxPool2dBackward(out, arg, gx));
        report("maxPool2d no argmax", elems, "Gelem/s (input)", () -> cpu.maxPool2d(x, two, out, null));
        report("avgPool2d 2x2/2", elems, "Gelem/s (input)", () -> cpu.avgPool2d(x, two, out));
        report("  backward", elems, "Gelem/s (input)", () -> cpu.avgPool2dBackward(out, two, gx));
    }

    /** Unfold and fold of 8 images [16, 32, 32] for a 3×3 "same" conv: 4.7 M column entries. */
    private static void im2col(Scope s) {
        Tensor x = TestTensors.random(s, DType.F32, 1, 8, 16, 32, 32);
        ConvGeometry g = ConvGeometry.forward(x, s.zeros(DType.F32, 1, 16, 3, 3), null, Conv2dSpec.of(1, 1),
                s.zeros(DType.F32, 8, 1, 32, 32));
        Tensor cols = s.zeros(DType.F32, 8, g.patch(), g.pixels());
        double bytes = 4.0 * cols.numel();
        report("im2col unfold 3x3 same, 8x[16,32,32]", bytes, "GB/s (columns)", () -> {
            for (int i = 0; i < 8; i++) {
                for (int ch = 0; ch < 16; ch++) {
                    Im2colF32.unfold(g, x.segment(), (i * 16L + ch) * 1024, 32, 1, cols.segment(),
                            ((long) i * g.patch() + ch * 9) * g.pixels(), g.pixels());
                }
            }
        });
        report("col2im fold", bytes, "GB/s (columns)", () -> {
            for (int i = 0; i < 8; i++) {
                for (int ch = 0; ch < 16; ch++) {
                    Im2colF32.fold(g, cols.segment(), ((long) i * g.patch() + ch * 9) * g.pixels(), g.pixels(),
                            x.segment(), (i * 16L + ch) * 1024, 32, 1);
                }
            }
        });
    }

    /** Best of 7 rounds of 0.2 s after a 1 s warm-up: the least disturbed figure on a shared machine. */
    private static void report(String what, double work, String unit, Runnable op) {
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            op.run();
        }
        double best = 0;
        for (int round = 0; round < 7; round++) {
            int calls = 0;
            long t0 = System.nanoTime(), t;
            do {
                op.run();
                calls++;
                t = System.nanoTime();
            } while (t - t0 < 200_000_000L);
            best = Math.max(best, work * calls / (t - t0));
        }
        System.out.printf("%-40s %8.2f %s%n", what, best, unit);
    }
}
