package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The OpenBLAS binding against the reference backend: awkward sizes, every layout, offsets, alpha and beta. */
class OpenBlasTest {
    private static final int[][] SIZES = {{1, 1, 1}, {3, 17, 5}, {17, 33, 1}, {1, 127, 33}, {33, 1, 17}, {65, 31, 127}};

    private static OpenBlas blas;

    @BeforeAll
    static void load() {
        assumeTrue(OpenBlas.load().isPresent(), () -> "OpenBLAS missing: " + OpenBlas.missingReason());
        blas = OpenBlas.load().orElseThrow();
        blas.setThreads(1);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matchesReferenceOnAwkwardShapesAndLayouts(DType dtype) {
        long seed = 1;
        for (int[] s : SIZES) {
            for (int layout = 0; layout < 4; layout++) {
                for (boolean padded : new boolean[] {false, true}) {
                    check(dtype, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0, padded, seed++);
                }
            }
        }
    }

    @Test
    void emptyInnerDimensionScalesC() {
        check(DType.F64, 3, 0, 5, false, false, false, 7);
        check(DType.F32, 4, 0, 2, true, true, true, 8);
    }

    @Test
    void usesAllThreadsWhenAsked() {
        blas.setThreads(2);
        try {
            check(DType.F32, 129, 257, 131, false, true, false, 9);
        } finally {
            blas.setThreads(1);
        }
    }

    /**
     * c = 0.5·op(a)·op(b) − 2·c with operands stored transposed when asked and, when padded, as
     * offset views into wider matrices (leading dimension > width); padding must stay untouched.
     */
    private static void check(DType dtype, int m, int k, int n, boolean transA, boolean transB, boolean padded, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        try (Scope scope = Scope.open(); Backend ref = Backends.reference()) {
            Tensor a = transA ? stored(scope, dtype, rng, k, m, padded).mT() : stored(scope, dtype, rng, m, k, padded);
            Tensor b = transB ? stored(scope, dtype, rng, n, k, padded).mT() : stored(scope, dtype, rng, k, n, padded);
            Tensor c = stored(scope, dtype, rng, m, n, padded);
            Tensor c0 = scope.copyOf(c);
            Tensor expected = scope.copyOf(c);
            Tensor before = padded ? scope.copyOf(parent(c)) : null;
            ref.gemm(0.5, a, b, -2, expected);
            blas.gemm(0.5, a, b, -2, c);
            String where = dtype + " " + m + "x" + k + "x" + n + (transA ? " T" : " N") + (transB ? "T" : "N")
                    + (padded ? " padded" : "");
            double rtol = dtype == DType.F32 ? 1e-5 : 1e-13;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double bound = 2 * Math.abs(c0.get(i, j));
                    for (int p = 0; p < k; p++) {
                        bound += 0.5 * Math.abs(a.get(i, p) * b.get(p, j));
                    }
                    double got = c.get(i, j), want = expected.get(i, j);
                    if (!(Math.abs(got - want) <= rtol * (bound + Math.abs(want)))) {
                        fail(where + ": element [" + i + ", " + j + "] is " + got + ", expected " + want);
                    }
                }
            }
            if (padded) {
                assertPaddingKept(before, parent(c), m, n, where);
            }
        }
    }

    /** A [rows, cols] matrix of uniform numbers, optionally a view at offset (1, 2) into a [rows+2, cols+5] store. */
    private static Tensor stored(Scope scope, DType dtype, SplittableRandom rng, int rows, int cols, boolean padded) {
        if (!padded) {
            return scope.uniform(dtype, rng, -1, 1, rows, cols);
        }
        Tensor store = scope.uniform(dtype, rng, -1, 1, rows + 2, cols + 5);
        return store.slice(0, 1, rows + 1).slice(1, 2, cols + 2);
    }

    /** The whole store behind a padded view (same segment, from element 0). */
    private static Tensor parent(Tensor view) {
        int ld = (int) view.stride(0);
        return Tensor.wrap(view.segment(), view.dtype(), view.dim(0) + 2, ld);
    }

    private static void assertPaddingKept(Tensor before, Tensor after, int m, int n, String where) {
        for (int i = 0; i < before.dim(0); i++) {
            for (int j = 0; j < before.dim(1); j++) {
                boolean inside = i >= 1 && i <= m && j >= 2 && j < n + 2;
                if (!inside && before.get(i, j) != after.get(i, j)) {
                    fail(where + ": OpenBLAS wrote outside c at store [" + i + ", " + j + "]");
                }
            }
        }
    }

    @Test
    void rejectsLayoutsBlasCannotExpress() {
        try (Scope scope = Scope.open()) {
            Tensor a = scope.zeros(DType.F32, 4, 3), b = scope.zeros(DType.F32, 3, 5), c = scope.zeros(DType.F32, 4, 5);
            var transposedC = assertThrows(IllegalArgumentException.class,
                    () -> blas.gemm(1, a, b, 0, scope.zeros(DType.F32, 5, 4).mT()));
            assertTrue(transposedC.getMessage().contains("c must be row-major"), transposedC.getMessage());
            var broadcast = assertThrows(IllegalArgumentException.class,
                    () -> blas.gemm(1, a, scope.zeros(DType.F32, 1, 5).broadcastTo(3, 5), 0, c));
            assertTrue(broadcast.getMessage().contains("b has no BLAS layout"), broadcast.getMessage());
            var mismatch = assertThrows(IllegalArgumentException.class,
                    () -> blas.gemm(1, a, scope.zeros(DType.F32, 4, 5), 0, c));
            assertTrue(mismatch.getMessage().contains("F32[4, 3], F32[4, 5], F32[4, 5]"), mismatch.getMessage());
            var dtypes = assertThrows(IllegalArgumentException.class,
                    () -> blas.gemm(1, a, scope.zeros(DType.F64, 3, 5), 0, c));
            assertTrue(dtypes.getMessage().contains("mixed dtypes"), dtypes.getMessage());
        }
    }

    @Test
    void reportsItsConfiguration() {
        assertTrue(blas.config().startsWith("OpenBLAS"), blas.config());
        assertNull(OpenBlas.missingReason());
    }
}
