package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static optlab.tensor.TestTensors.random;
import static optlab.tensor.TestTensors.rtol;
import static optlab.tensor.TestTensors.strided;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import optlab.tensor.simd.Simd;

/** CpuBackend.gemm against the reference triple loop: every layout, edge and block boundary. */
class GemmTest {
    private static Backend ref;
    private static CpuBackend one;
    private static CpuBackend two;

    @BeforeAll
    static void open() {
        ref = Backends.reference();
        one = new CpuBackend(1);
        two = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        ref.close();
        one.close();
        two.close();
    }

    /** Sizes around the tile (MR rows, NR columns) of the width in force, plus awkward ones. */
    private static int[] sizes(DType dtype) {
        int mr = dtype == DType.F32 ? GemmKernelF32.MR : GemmKernelF64.MR;
        int nr = dtype == DType.F32 ? GemmKernelF32.NR : GemmKernelF64.NR;
        return new int[] {1, 3, 17, 33, 127, mr - 1, mr + 1, nr - 1, nr + 1};
    }

    /** a (m×k, or stored k×m and transposed), b likewise; c = alpha·a·b + beta·c on 1 and 2 threads. */
    private static void check(DType dtype, int m, int n, int k, boolean ta, boolean tb, double alpha, double beta,
            long seed) {
        try (Scope s = Scope.open()) {
            Tensor a = ta ? random(s, dtype, seed, k, m).mT() : random(s, dtype, seed, m, k);
            Tensor b = tb ? random(s, dtype, seed + 1, n, k).mT() : random(s, dtype, seed + 1, k, n);
            Tensor c0 = random(s, dtype, seed + 2, m, n);
            Tensor expected = s.copyOf(c0);
            ref.gemm(alpha, a, b, beta, expected);
            for (CpuBackend cpu : List.of(one, two)) {
                Tensor c = s.copyOf(c0);
                cpu.gemm(alpha, a, b, beta, c);
                assertClose(expected, c, rtol(dtype), atol(dtype, k));
            }
        }
    }

    /** Results are sums of k products of numbers in [-1, 1]: allow rounding that grows like √k. */
    private static double atol(DType dtype, int k) {
        return rtol(dtype) * Math.sqrt(Math.max(k, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyTransposeComboOnAwkwardSizes(DType dtype) {
        int[] sz = sizes(dtype);
        long seed = 1;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int d : sz) {
                    check(dtype, d, 17, 33, ta, tb, 1, 0, seed++);
                    check(dtype, 33, d, 17, ta, tb, 1, 0, seed++);
                    check(dtype, 17, 33, d, ta, tb, 1, 0, seed++);
                }
                check(dtype, 1, 127, 65, ta, tb, 1, 0, seed++); // a row vector times a matrix
                check(dtype, 127, 1, 65, ta, tb, 1, 0, seed++); // a matrix times a column vector
                check(dtype, 65, 63, 1, ta, tb, 1, 0, seed++); // outer product (K = 1)
                check(dtype, 1, 1, 1, ta, tb, 1, 0, seed++);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void alphaAndBetaScaleProductAndOldC(DType dtype) {
        for (boolean ta : new boolean[] {false, true}) {
            check(dtype, 37, 45, 29, ta, !ta, 0.5, -1.5, 11);
            check(dtype, 37, 45, 29, ta, ta, -2, 1, 12);
            check(dtype, 20, 64, 300, ta, false, 1, 0.25, 13);
            check(dtype, 20, 64, 7, ta, true, 0, 3, 14); // alpha 0: c = beta·c
        }
    }

    /**
     * Skinny products with both operands contiguous along K (y = x·Wᵀ with few outputs) take dot products:
     * rows and columns around its 4×4 tile, K around a vector (masked tail) and a large prime, the narrow
     * side as either m or n, and just past the size limit (the packed path again).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void skinnyDotProducts(DType dtype) {
        int lanes = dtype == DType.F32 ? Simd.F32.length() : Simd.F64.length();
        int kb = dtype == DType.F32 ? GemmDotF32.KB : GemmDotF64.KB;
        // kb + 3: the last K chunk is shorter than a vector, so its tail re-reads the chunk before.
        int[] ks = {CpuGemm.SKINNY_MIN_K, 4 * lanes + 1, 8 * lanes - 1, 127, 1009, kb + 3};
        int[] narrow = {1, 3, 4, 5, 10, CpuGemm.SKINNY, CpuGemm.SKINNY + 1};
        long seed = 40;
        for (int k : ks) {
            for (int few : narrow) {
                check(dtype, 37, few, k, false, true, 1.5, seed % 2 == 0 ? 0 : -0.5, seed++);
                check(dtype, few, 23, k, false, true, -1, 0.25, seed++);
            }
        }
        check(dtype, 100, 10, 4000 + 3, false, true, 1, 1, seed);
    }

    /**
     * The dot products' K tail re-reads lanes the full steps already added and zeroes them: an infinity
     * there must not turn into NaN (as 0·∞ would), and the sums stay ±∞ as the reference's.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void skinnyDotTailKeepsInfinities(DType dtype) {
        int lanes = dtype == DType.F32 ? Simd.F32.length() : Simd.F64.length();
        int m = 9, n = 5, k = 4 * lanes + 3 + CpuGemm.SKINNY_MIN_K;
        try (Scope s = Scope.open()) {
            Tensor a = random(s, dtype, 5, m, k), bt = random(s, dtype, 6, n, k);
            a.set(Double.POSITIVE_INFINITY, 2, k - lanes); // the first lane the tail step re-reads
            bt.set(Double.NEGATIVE_INFINITY, 3, k - lanes);
            Tensor expected = s.zeros(dtype, m, n);
            ref.gemm(1, a, bt.mT(), 0, expected);
            assertTrue(Double.isInfinite(expected.get(2, 0)) && expected.get(2, 3) == Double.NEGATIVE_INFINITY);
            for (CpuBackend cpu : List.of(one, two)) {
                Tensor c = s.zeros(dtype, m, n);
                cpu.gemm(1, a, bt.mT(), 0, c);
                assertClose(expected, c, rtol(dtype), atol(dtype, k));
            }
        }
    }

    /** The dot-product path on views: A a sub-block (row pitch ≠ K, offset), B a transposed sub-block, C strided. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void skinnyDotProductsOnViews(DType dtype) {
        try (Scope s = Scope.open()) {
            int m = 33, n = 7, k = 131;
            Tensor a = random(s, dtype, 1, m, k), bt = random(s, dtype, 2, n, k), c0 = random(s, dtype, 3, m, n);
            Tensor expected = s.copyOf(c0);
            ref.gemm(0.75, a, bt.mT(), 0.5, expected);
            Tensor av = s.full(dtype, Double.NaN, m + 3, k + 5).slice(0, 2, 2 + m).slice(1, 1, 1 + k);
            av.copyFrom(a);
            Tensor bv = s.full(dtype, Double.NaN, n + 2, k + 9).slice(0, 1, 1 + n).slice(1, 4, 4 + k);
            bv.copyFrom(bt);
            for (CpuBackend cpu : List.of(one, two)) {
                for (int vc = 0; vc < 4; vc++) {
                    Tensor c = views(s, c0).get(vc);
                    cpu.gemm(0.75, av, bv.mT(), 0.5, c);
                    assertClose(expected, c, rtol(dtype), atol(dtype, k));
                }
                // Narrow side as rows: cᵀ = b̃·ãᵀ, and beta = 0 over NaN.
                Tensor ct = s.full(dtype, Double.NaN, n, m);
                cpu.gemm(0.75, bv, av.mT(), 0, ct);
                Tensor expectedT = s.zeros(dtype, n, m);
                ref.gemm(0.75, bt, a.mT(), 0, expectedT);
                assertClose(expectedT, ct, rtol(dtype), atol(dtype, k));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void betaZeroIgnoresNaNInC(DType dtype) {
        for (boolean tc : new boolean[] {false, true}) {
            try (Scope s = Scope.open()) {
                Tensor a = random(s, dtype, 1, 45, 33), b = random(s, dtype, 2, 33, 50);
                Tensor expected = s.zeros(dtype, 45, 50);
                ref.gemm(1.5, a, b, 0, expected);
                for (CpuBackend cpu : List.of(one, two)) {
                    Tensor c = tc ? s.full(dtype, Double.NaN, 50, 45).mT() : s.full(dtype, Double.NaN, 45, 50);
                    cpu.gemm(1.5, a, b, 0, c);
                    assertClose(expected, c, rtol(dtype), atol(dtype, 33));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void stridedOffsetAndTransposedViews(DType dtype) {
        try (Scope s = Scope.open()) {
            int m = 35, n = 41, k = 23;
            Tensor a = random(s, dtype, 1, m, k), b = random(s, dtype, 2, k, n), c0 = random(s, dtype, 3, m, n);
            Tensor expected = s.copyOf(c0);
            ref.gemm(0.75, a, b, 0.5, expected);
            // Each operand as: contiguous, every other column after an offset, a sub-block of a bigger
            // matrix, and a transposed copy viewed back.
            List<Tensor> as = views(s, a), bs = views(s, b);
            for (int va = 0; va < as.size(); va++) {
                for (int vc = 0; vc < 4; vc++) {
                    Tensor bv = bs.get((va + vc) % bs.size());
                    for (CpuBackend cpu : List.of(one, two)) {
                        Tensor c = views(s, c0).get(vc);
                        cpu.gemm(0.75, as.get(va), bv, 0.5, c);
                        assertClose(expected, c, rtol(dtype), atol(dtype, k));
                    }
                }
            }
        }
    }

    /** The values of x in four layouts: contiguous, strided with an offset, a sub-block, transposed storage. */
    private static List<Tensor> views(Scope s, Tensor x) {
        int r = x.dim(0), q = x.dim(1);
        List<Tensor> out = new ArrayList<>();
        out.add(s.copyOf(x));
        out.add(strided(s, x));
        Tensor big = s.full(x.dtype(), Double.NaN, r + 5, q + 7).slice(0, 2, 2 + r).slice(1, 3, 3 + q);
        big.copyFrom(x);
        out.add(big);
        Tensor t = s.empty(x.dtype(), q, r).mT();
        t.copyFrom(x);
        out.add(t);
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchedWithBroadcastBatchAxes(DType dtype) {
        try (Scope s = Scope.open()) {
            // a [2, 3, M, K] · b [3, K, N] -> [2, 3, M, N]; then a [1, 3, M, K] against b [2, 1, K, N] (stride-0
            // view), a broadcast over 4 batches of transposed b, and many small members (spread over threads).
            batched(s, random(s, dtype, 1, 2, 3, 19, 13), random(s, dtype, 2, 3, 13, 21), new int[] {2, 3, 19, 21});
            batched(s, random(s, dtype, 3, 1, 3, 19, 13), random(s, dtype, 4, 2, 1, 13, 21), new int[] {2, 3, 19, 21});
            batched(s, random(s, dtype, 5, 19, 13).broadcastTo(4, 19, 13), random(s, dtype, 6, 4, 21, 13).mT(),
                    new int[] {4, 19, 21});
            batched(s, random(s, dtype, 7, 24, 9, 16), random(s, dtype, 8, 24, 16, 9).mT().mT(), new int[] {24, 9, 9});
        }
    }

    private static void batched(Scope s, Tensor a, Tensor b, int[] cShape) {
        Tensor c0 = random(s, a.dtype(), 9, cShape);
        Tensor expected = s.copyOf(c0);
        ref.gemm(1.25, a, b, -0.5, expected);
        for (CpuBackend cpu : List.of(one, two)) {
            Tensor c = s.copyOf(c0);
            cpu.gemm(1.25, a, b, -0.5, c);
            assertClose(expected, c, rtol(a.dtype()), atol(a.dtype(), a.dim(-1)));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void blockBoundariesHaveTails(DType dtype) {
        // 300×520×270 crosses the MC and KC blocks with a tail in each (as does the smaller 170×270×40, in
        // every transpose combination); 3×5×(NC + 37) crosses NC.
        int nc = dtype == DType.F32 ? GemmBlockedF32.NC : GemmBlockedF64.NC;
        multiBlock(dtype, 300, 270, 520, false, false);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                multiBlock(dtype, 170, 40, 270, ta, tb);
            }
        }
        multiBlock(dtype, 3, nc + 37, 5, false, false);
        multiBlock(dtype, 3, nc + 37, 5, true, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void deepProductsWithFewRows(DType dtype) {
        // m ≤ MC (one A block): each task runs all K slices for its own columns of C. k crosses KC
        // with a tail. With row-major B (contiguous, or a sub-block of a wider matrix: row stride ≠ n)
        // the kernel reads B's full micro-panels unpacked (the edge panel is still packed); with
        // strided columns or transposed storage B is packed per panel. On 1 and 2 threads.
        int nr = dtype == DType.F32 ? GemmKernelF32.NR : GemmKernelF64.NR;
        int k = (dtype == DType.F32 ? GemmKernelF32.KC : GemmKernelF64.KC) + 37;
        int n = 2 * nr + 5;
        try (Scope s = Scope.open()) {
            for (int m : new int[] {1, 11, 100}) {
                Tensor a = random(s, dtype, m, m, k), b = random(s, dtype, m + 1, k, n);
                Tensor c0 = random(s, dtype, m + 2, m, n);
                Tensor expected = s.copyOf(c0);
                ref.gemm(1, a, b, 0.5, expected);
                for (Tensor bv : views(s, b)) {
                    for (CpuBackend cpu : List.of(one, two)) {
                        Tensor c = s.copyOf(c0);
                        cpu.gemm(1, a, bv, 0.5, c);
                        assertClose(expected, c, rtol(dtype), atol(dtype, k));
                    }
                }
            }
        }
    }

    /** Too big for the reference loop's per-element access: checked against a double loop over arrays. */
    private static void multiBlock(DType dtype, int m, int n, int k, boolean ta, boolean tb) {
        try (Scope s = Scope.open()) {
            Tensor a = ta ? random(s, dtype, 1, k, m).mT() : random(s, dtype, 1, m, k);
            Tensor b = tb ? random(s, dtype, 2, n, k).mT() : random(s, dtype, 2, k, n);
            Tensor c0 = random(s, dtype, 3, m, n);
            double[] x = a.toDoubleArray(), y = b.toDoubleArray(), z = c0.toDoubleArray();
            double[] want = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double aip = x[i * k + p];
                    for (int j = 0; j < n; j++) {
                        want[i * n + j] += aip * y[p * n + j];
                    }
                }
            }
            for (int i = 0; i < want.length; i++) {
                want[i] = 2 * want[i] - z[i];
            }
            Tensor expected = s.of(DType.F64, want, m, n);
            for (CpuBackend cpu : List.of(one, two)) {
                Tensor c = s.copyOf(c0);
                cpu.gemm(2, a, b, -1, c);
                assertClose(expected, c, rtol(dtype), 2 * atol(dtype, k));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void orientationFollowsLayout(DType dtype) {
        // Row-major operands are computed as given; all-transposed ones as cᵀ = bᵀ·aᵀ, which makes them
        // row-major again (the other tests then run both paths: these layouts appear in each).
        GemmCost cost = dtype == DType.F32 ? GemmCost.F32 : GemmCost.F64;
        GemmMatrix rows = new GemmMatrix(null, 0, 200, 1), columns = rows.transposed();
        assertFalse(cost.preferTransposed(200, 200, 200, rows, rows, rows));
        assertTrue(cost.preferTransposed(200, 200, 200, columns, columns, columns));
        assertTrue(cost.preferTransposed(200, 200, 200, rows, rows, columns));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyProducts(DType dtype) {
        try (Scope s = Scope.open()) {
            // K = 0: c = beta·c, and beta = 0 clears NaN.
            Tensor a = s.empty(dtype, 4, 0), b = s.empty(dtype, 0, 5);
            Tensor c = random(s, dtype, 1, 4, 5), expected = s.copyOf(c);
            ref.gemm(1, a, b, 2, expected);
            one.gemm(1, a, b, 2, c);
            assertClose(expected, c, 0, 0);
            Tensor nan = s.full(dtype, Double.NaN, 4, 5);
            two.gemm(1, a, b, 0, nan);
            assertClose(s.zeros(dtype, 4, 5), nan, 0, 0);
            // Empty M, N or batch: nothing to do, nothing thrown.
            one.gemm(1, s.empty(dtype, 0, 3), s.empty(dtype, 3, 5), 0, s.empty(dtype, 0, 5));
            two.gemm(1, s.empty(dtype, 4, 3), s.empty(dtype, 3, 0), 0, s.empty(dtype, 4, 0));
            two.gemm(1, s.empty(dtype, 0, 4, 3), s.empty(dtype, 3, 5), 0, s.empty(dtype, 0, 4, 5));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void badCallsNameTheShapes(DType dtype) {
        try (Scope s = Scope.open()) {
            Tensor a = s.zeros(dtype, 4, 3), b = s.zeros(dtype, 3, 5);
            DType other = dtype == DType.F32 ? DType.F64 : DType.F32;
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> one.gemm(1, a, b, 0, s.zeros(other, 4, 5))).getMessage();
            assertTrue(msg.contains("gemm") && msg.contains("dtype"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> one.gemm(1, a, s.zeros(dtype, 4, 5), 0, s.zeros(dtype, 4, 5))).getMessage();
            assertTrue(msg.contains("gemm") && msg.contains("[4, 3]") && msg.contains("[4, 5]"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> one.gemm(1, a, b, 0, s.zeros(dtype, 5, 4))).getMessage();
            assertTrue(msg.contains("gemm") && msg.contains("[5, 4]"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> one.gemm(1, s.zeros(dtype, 3), b, 0, s.zeros(dtype, 4, 5))).getMessage();
            assertTrue(msg.contains("gemm") && msg.contains("rank"), msg);
            msg = assertThrows(IllegalArgumentException.class, () -> one.gemm(1, s.zeros(dtype, 2, 4, 3),
                    s.zeros(dtype, 3, 3, 5), 0, s.zeros(dtype, 3, 4, 5))).getMessage();
            assertTrue(msg.contains("gemm") && msg.contains("[2, 4, 3]") && msg.contains("[3, 4, 5]"), msg);
        }
    }
}
