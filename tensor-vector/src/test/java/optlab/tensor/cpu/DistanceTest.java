package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static optlab.tensor.TestTensors.random;
import static optlab.tensor.TestTensors.strided;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pairwise weighted squared distances and their gradients: CPU kernels against the reference, which FD checks. */
class DistanceTest {
    private static final CpuBackend CPU = new CpuBackend(2);
    private static final Backend REF = new ReferenceBackend();
    /** (N, M) pairs cycled over the D sizes: single rows, row counts around the 4-row blocks. */
    private static final int[][] NM = {{1, 1}, {3, 5}, {5, 3}, {17, 7}, {6, 2}, {4, 33}};

    @AfterAll
    static void close() {
        CPU.close();
    }

    /**
     * Every awkward D (lanes ± 1 at each width, primes) with and without weights, in F32 and F64; and D on both sides
     * of the forward's switch from lanes along m to lanes along d, with M across several centroid blocks of either.
     */
    static Stream<Arguments> sizes() {
        Stream<Arguments> awkward = IntStream.range(0, TestTensors.AWKWARD.length).boxed().flatMap(i -> {
            int[] nm = NM[i % NM.length];
            return Stream.of(DType.F32, DType.F64).flatMap(dt -> Stream.of(true, false)
                    .map(weighted -> Arguments.of(nm[0], nm[1], TestTensors.AWKWARD[i], dt, weighted)));
        });
        int edge = CpuDistance.ALONG_M_MAX_D;
        Stream<Arguments> wide = Stream.of(new int[] {5, 37, edge}, new int[] {6, 70, edge + 1}, new int[] {9, 3, 2 * edge + 3},
                // Lanes along d over several L2 blocks of centroids, odd blocks in F64 (63 and 31 centroids).
                new int[] {7, 301, 2 * edge + 3})
                .flatMap(nmd -> Stream.of(DType.F32, DType.F64).flatMap(dt -> Stream.of(true, false)
                        .map(weighted -> Arguments.of(nmd[0], nmd[1], nmd[2], dt, weighted))));
        return Stream.concat(awkward, wide);
    }

    @ParameterizedTest(name = "N={0} M={1} D={2} {3} weighted={4}")
    @MethodSource("sizes")
    void forwardMatchesReference(int n, int m, int d, DType dt, boolean weighted) {
        try (Scope s = Scope.open()) {
            Tensor x = random(s, dt, 1, n, d), c = random(s, dt, 2, m, d);
            Tensor w = weighted ? s.uniform(dt, new SplittableRandom(3), 0.1, 1.1, m, d) : null;
            Tensor want = s.zeros(dt, n, m);
            REF.pairwiseSqDist(x, c, w, want);
            double atol = tol(dt) * Math.sqrt(d);
            Tensor got = s.full(dt, Double.NaN, n, m);
            CPU.pairwiseSqDist(x, c, w, got);
            assertClose(want, got, tol(dt), atol);
            // Non-unit stride along D (staged), strided output.
            Tensor out = strided(s, s.zeros(dt, n, m));
            CPU.pairwiseSqDist(strided(s, x), strided(s, c), weighted ? strided(s, w) : null, out);
            assertClose(want, out, tol(dt), atol);
            // Unit stride along D with padded rows and an offset (no staging), transposed output.
            Tensor outT = s.zeros(dt, m, n).mT();
            CPU.pairwiseSqDist(padded(s, x), padded(s, c), weighted ? padded(s, w) : null, outT);
            assertClose(want, outT, tol(dt), atol);
        }
    }

    @ParameterizedTest(name = "N={0} M={1} D={2} {3} weighted={4}")
    @MethodSource("sizes")
    void backwardMatchesReference(int n, int m, int d, DType dt, boolean weighted) {
        try (Scope s = Scope.open()) {
            Tensor x = random(s, dt, 1, n, d), c = random(s, dt, 2, m, d), g = random(s, dt, 4, n, m);
            Tensor w = weighted ? s.uniform(dt, new SplittableRandom(3), 0.1, 1.1, m, d) : null;
            Tensor wx = s.zeros(dt, n, d), wc = s.zeros(dt, m, d), ww = s.zeros(dt, m, d);
            REF.pairwiseSqDistBackward(g, x, c, w, wx, wc, ww);
            double atolX = tol(dt) * Math.sqrt(m), atolC = tol(dt) * Math.sqrt(n);

            Tensor gx = s.full(dt, Double.NaN, n, d), gc = s.full(dt, Double.NaN, m, d), gw = s.full(dt, Double.NaN, m, d);
            CPU.pairwiseSqDistBackward(g, x, c, w, gx, gc, gw);
            assertClose(wx, gx, tol(dt), atolX);
            assertClose(wc, gc, tol(dt), atolC);
            assertClose(ww, gw, tol(dt), atolC);

            // One output at a time (the others null), from strided views into strided outputs.
            Tensor sx = strided(s, x), sc = strided(s, c), sw = weighted ? strided(s, w) : null, sg = strided(s, g);
            Tensor gx2 = strided(s, s.zeros(dt, n, d)), gc2 = strided(s, s.zeros(dt, m, d));
            Tensor gw2 = padded(s, s.zeros(dt, m, d));
            CPU.pairwiseSqDistBackward(sg, sx, sc, sw, gx2, null, null);
            CPU.pairwiseSqDistBackward(sg.mT().mT(), padded(s, x), padded(s, c), sw, null, gc2, null);
            CPU.pairwiseSqDistBackward(g, sx, sc, sw, null, null, gw2);
            CPU.pairwiseSqDistBackward(g, sx, sc, sw, null, null, null);
            assertClose(wx, gx2, tol(dt), atolX);
            assertClose(wc, gc2, tol(dt), atolC);
            assertClose(ww, gw2, tol(dt), atolC);

            // Both register tiles of gc and gw (the backend uses the one this CPU's registers allow), bitwise equal:
            // each output sums over n in the same order.
            Tensor gc4 = s.zeros(dt, m, d), gw4 = s.zeros(dt, m, d), gc8 = s.zeros(dt, m, d), gw8 = s.zeros(dt, m, d);
            if (dt == DType.F32) {
                DistanceF32.gradCW(g, x, c, w, gc4, gw4, 0, m, 4);
                DistanceF32.gradCW(g, x, c, w, gc8, gw8, 0, m, 8);
            } else {
                DistanceF64.gradCW(g, x, c, w, gc4, gw4, 0, m, 4);
                DistanceF64.gradCW(g, x, c, w, gc8, gw8, 0, m, 8);
            }
            assertClose(wc, gc4, tol(dt), atolC);
            assertClose(ww, gw4, tol(dt), atolC);
            assertClose(gc4, gc8, 0, 0);
            assertClose(gw4, gw8, 0, 0);
        }
    }

    /** One x row shared by every n (row stride 0) reads like N copies of it. */
    @Test
    void broadcastRows() {
        try (Scope s = Scope.open()) {
            Tensor row = random(s, DType.F32, 1, 1, 33), c = random(s, DType.F32, 2, 5, 33);
            Tensor x = row.broadcastTo(6, 33), want = s.zeros(DType.F32, 6, 5), got = s.zeros(DType.F32, 6, 5);
            REF.pairwiseSqDist(s.copyOf(x), c, null, want);
            CPU.pairwiseSqDist(x, c, null, got);
            assertClose(want, got, tol(DType.F32), tol(DType.F32));
        }
    }

    /**
     * x within 1e-3 of a centroid: the direct F32 sum keeps full relative precision against an F64
     * oracle on the same (F32) inputs, while the GEMM expansion ‖x‖² + ‖c‖² − 2·x·c in F32 loses the
     * near distances entirely. This is the measurement behind CpuDistance's choice.
     */
    @Test
    void closeDistancesKeepRelativePrecision() {
        int n = 12, m = 6, d = 64;
        try (Scope s = Scope.open()) {
            Tensor c = random(s, DType.F32, 2, m, d);
            Tensor noise = s.uniform(DType.F32, new SplittableRandom(5), -1e-3, 1e-3, n, d);
            Tensor x = s.zeros(DType.F32, n, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x.set(c.get(i % m, j) + noise.get(i, j), i, j);
                }
            }
            Tensor oracle = s.zeros(DType.F64, n, m), got = s.zeros(DType.F32, n, m);
            REF.pairwiseSqDist(s.copyOf(x, DType.F64), s.copyOf(c, DType.F64), null, oracle);
            CPU.pairwiseSqDist(x, c, null, got);
            assertClose(oracle, got, TestTensors.rtol(DType.F32), 0);

            double worstExpansion = 0;
            for (int i = 0; i < n; i++) {
                int near = i % m;
                float xx = 0, cc = 0, xc = 0;
                for (int j = 0; j < d; j++) {
                    float a = (float) x.get(i, j), b = (float) c.get(near, j);
                    xx += a * a;
                    cc += b * b;
                    xc += a * b;
                }
                float expansion = xx + cc - 2 * xc;
                double exact = oracle.get(i, near);
                worstExpansion = Math.max(worstExpansion, Math.abs(expansion - exact) / exact);
            }
            assertTrue(worstExpansion > 1e-2, "F32 expansion unexpectedly accurate: relative error " + worstExpansion);
        }
    }

    /** Reference gradients of Σ dist(x, c, w) ⊙ r by central differences in F64. */
    @Test
    void referenceGradientsMatchFiniteDifferences() {
        try (Scope s = Scope.open()) {
            Tensor x = random(s, DType.F64, 1, 3, 4), c = random(s, DType.F64, 2, 5, 4);
            Tensor w = random(s, DType.F64, 3, 5, 4), r = random(s, DType.F64, 4, 3, 5), out = s.zeros(DType.F64, 3, 5);
            Tensor gx = s.zeros(DType.F64, 3, 4), gc = s.zeros(DType.F64, 5, 4), gw = s.zeros(DType.F64, 5, 4);
            REF.pairwiseSqDistBackward(r, x, c, w, gx, gc, gw);
            java.util.function.DoubleSupplier loss = () -> {
                REF.pairwiseSqDist(x, c, w, out);
                return FiniteDifferences.dot(out, r);
            };
            FiniteDifferences.check("gx", x, gx, loss, 1e-5, 1e-8);
            FiniteDifferences.check("gc", c, gc, loss, 1e-5, 1e-8);
            FiniteDifferences.check("gw", w, gw, loss, 1e-5, 1e-8);
            REF.pairwiseSqDistBackward(r, x, c, null, gx, gc, null);
            FiniteDifferences.check("gx unweighted", x, gx, () -> {
                REF.pairwiseSqDist(x, c, null, out);
                return FiniteDifferences.dot(out, r);
            }, 1e-5, 1e-8);
        }
    }

    /** Empty N, M or D: outputs that are sums over nothing become 0. */
    @Test
    void emptySizes() {
        try (Scope s = Scope.open()) {
            DType dt = DType.F32;
            Tensor out = s.full(dt, 7, 3, 4);
            CPU.pairwiseSqDist(s.zeros(dt, 3, 0), s.zeros(dt, 4, 0), null, out);
            assertClose(s.zeros(dt, 3, 4), out, 0, 0);
            Tensor gc = s.full(dt, 7, 4, 5), gw = s.full(dt, 7, 4, 5);
            CPU.pairwiseSqDistBackward(s.zeros(dt, 0, 4), s.zeros(dt, 0, 5), random(s, dt, 1, 4, 5), null,
                    s.zeros(dt, 0, 5), gc, gw);
            assertClose(s.zeros(dt, 4, 5), gc, 0, 0);
            assertClose(s.zeros(dt, 4, 5), gw, 0, 0);
            Tensor gx = s.full(dt, 7, 3, 5);
            CPU.pairwiseSqDistBackward(s.zeros(dt, 3, 0), random(s, dt, 1, 3, 5), s.zeros(dt, 0, 5), null, gx, null, null);
            assertClose(s.zeros(dt, 3, 5), gx, 0, 0);
        }
    }

    @Test
    void badShapesAreNamed() {
        try (Scope s = Scope.open()) {
            Tensor x = s.zeros(DType.F32, 3, 4), c = s.zeros(DType.F32, 5, 4), out = s.zeros(DType.F32, 3, 5);
            for (Backend b : new Backend[] {REF, CPU}) {
                var e = assertThrows(IllegalArgumentException.class,
                        () -> b.pairwiseSqDist(x, s.zeros(DType.F32, 5, 3), null, out));
                assertTrue(e.getMessage().startsWith("pairwiseSqDist: x [3, 4] and centroids c [5, 3] differ"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> b.pairwiseSqDist(x, c, s.zeros(DType.F32, 4, 4), out));
                assertTrue(e.getMessage().startsWith("pairwiseSqDist: w must have shape [5, 4], got [4, 4]"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> b.pairwiseSqDistBackward(out, x, c, null, null, s.zeros(DType.F32, 4, 5), null));
                assertTrue(e.getMessage().startsWith("pairwiseSqDistBackward: gc must have shape [5, 4]"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> b.pairwiseSqDist(x, c, null, s.zeros(DType.F64, 3, 5)));
                assertTrue(e.getMessage().startsWith("pairwiseSqDist: mixed dtypes"), e.getMessage());
            }
        }
    }

    private static double tol(DType dt) {
        return TestTensors.rtol(dt) * (dt == DType.F32 ? 2 : 1);
    }

    /** The same values with unit stride along the last axis but longer rows and an offset. */
    private static Tensor padded(Scope s, Tensor t) {
        Tensor store = s.full(t.dtype(), Double.NaN, t.dim(0), t.dim(1) + 3);
        Tensor view = store.slice(1, 2, t.dim(1) + 2);
        view.copyFrom(t);
        return view;
    }
}
