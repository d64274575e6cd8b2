package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CPU reductions against the reference: every axis set, awkward lengths, views, threads, NaN, accuracy. */
class ReduceTest extends KernelFixture {
    /** Lengths around every lane count (4, 8, 16 for F32; 2, 4, 8 for F64) and the sum blocks. */
    static final int[] LENGTHS = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127, 1023, 1025, 2051};

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyAxisSetOfRank3And4(DType dt) {
        for (int[] shape : new int[][] {{3, 17, 5}, {2, 3, 4, 9}, {5, 1, 33, 2}}) {
            Tensor x = TestTensors.random(scope, dt, 11, shape);
            Tensor strided = TestTensors.strided(scope, x);
            Tensor transposed = scope.copyOf(x.transpose(0, -1)).transpose(0, -1); // same values, axes reversed in memory
            for (int mask = 0; mask < 1 << shape.length; mask++) {
                int[] os = shape.clone();
                for (int d = 0; d < shape.length; d++) {
                    if ((mask >> d & 1) != 0) {
                        os[d] = 1;
                    }
                }
                for (ReduceOp op : ReduceOp.values()) {
                    check(op, x, os);
                    check(op, strided, os);
                    check(op, transposed, os);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void awkwardRowAndColumnLengths(DType dt) {
        for (int n : LENGTHS) {
            Tensor x = TestTensors.random(scope, dt, n, 3, n);
            Tensor xt = TestTensors.random(scope, dt, n + 1, n, 3);
            for (ReduceOp op : ReduceOp.values()) {
                check(op, x, 3, 1);     // rows
                check(op, x, 1, n);     // columns
                check(op, x, 1, 1);     // everything
                check(op, xt, 1, 3);    // few wide columns
                check(op, xt, n, 1);    // short rows
                check(op, x.mT(), 1, 3); // transposed: a column plan over a strided view
                check(op, x.mT(), n, 1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void largeInputsSplitOverThreads(DType dt) {
        int prime = 100003;
        Tensor longRow = TestTensors.random(scope, dt, 1, 3, prime);
        Tensor longColumn = TestTensors.random(scope, dt, 2, prime, 3);
        Tensor wide = TestTensors.random(scope, dt, 3, 517, 300);
        Tensor image = TestTensors.random(scope, dt, 4, 8, 3, 37, 41); // BatchNorm-like [N, C, H, W]
        // MEAN and MIN share these kernels' code paths with SUM and MAX; small tests cover all four.
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX}) {
            check(op, longRow, 1, 1);
            check(op, longRow, 3, 1);
            check(op, longRow, 1, prime);
            check(op, longColumn, 1, 3);
            check(op, longColumn, prime, 1);
            check(op, wide, 1, 300);
            check(op, wide, 517, 1);
            check(op, image, 1, 3, 1, 1);
            check(op, image, 8, 1, 1, 1);
            check(op, image.permute(0, 2, 3, 1), 1, 1, 1, 3); // channels-last view of the same data
        }
        for (ReduceOp op : new ReduceOp[] {ReduceOp.MEAN, ReduceOp.MIN}) { // their split-reduction combine
            check(op, longRow, 1, 1);
            check(op, longColumn, 1, 3);
        }
    }

    /**
     * A long F32 sum stays accurate. Here a naive float accumulator is off by 1.2e-6 (rows) and 2.1e-6
     * (columns) relative; the blocked sums by ~1e-9, so 2e-7 (under two F32 ulps of the result) separates them.
     */
    @Test
    void longFloatSumsAreAccurate() {
        int n = 1_000_003;
        Tensor x = scope.uniform(DType.F32, new SplittableRandom(5), 0, 1, n);
        double exact = 0;
        for (int i = 0; i < n; i++) {
            exact += x.getFlat(i);
        }
        Tensor out = scope.empty(DType.F32, 1);
        for (Backend b : new Backend[] {cpu1, cpu2}) {
            b.reduce(ReduceOp.SUM, x, out);
            assertEquals(exact, out.item(), 2e-7 * exact, b.describe());
        }
        Tensor col = x.slice(0, 0, 1_000_000).reshape(500_000, 2);
        Tensor colOut = scope.empty(DType.F32, 1, 2);
        Tensor colRef = scope.empty(DType.F32, 1, 2);
        Tensor colD = scope.copyOf(col, DType.F64);
        Tensor colRefD = scope.empty(DType.F64, 1, 2);
        REF.reduce(ReduceOp.SUM, colD, colRefD);
        colRef.copyFrom(colRefD);
        for (Backend b : new Backend[] {cpu1, cpu2}) {
            b.reduce(ReduceOp.SUM, col, colOut);
            TestTensors.assertClose(colRef, colOut, 2e-7, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxAndMinPropagateNaN(DType dt) {
        for (int n : new int[] {1, 5, 16, 17, 40, 1000}) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                Tensor x = TestTensors.random(scope, dt, n, 2, n);
                x.set(Double.NaN, 1, at);
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor rows = scope.empty(dt, 2, 1);
                    cpu1.reduce(op, x, rows);
                    assertTrue(!Double.isNaN(rows.get(0, 0)) && Double.isNaN(rows.get(1, 0)), op + " rows n=" + n);
                    Tensor cols = scope.empty(dt, 1, n);
                    cpu2.reduce(op, x, cols);
                    assertTrue(Double.isNaN(cols.get(0, at)), op + " columns n=" + n);
                    check(op, x, 1, 1);
                    check(op, TestTensors.strided(scope, x), 2, 1);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyReductionsAndNoReduction(DType dt) {
        Tensor empty = scope.empty(dt, 3, 0);
        Tensor out = scope.full(dt, 7, 3, 1);
        cpu1.reduce(ReduceOp.SUM, empty, out);
        assertEquals(0, out.get(2, 0));
        cpu1.reduce(ReduceOp.MEAN, empty, out);
        assertTrue(Double.isNaN(out.get(1, 0)));
        var e = assertThrows(IllegalArgumentException.class, () -> cpu1.reduce(ReduceOp.MAX, empty, out));
        assertTrue(e.getMessage().contains("reduce MAX") && e.getMessage().contains("[3, 0]"), e.getMessage());
        cpu1.reduce(ReduceOp.MAX, empty, scope.empty(dt, 1, 0)); // nothing to write: fine
        Tensor x = TestTensors.random(scope, dt, 9, 4, 5);
        for (ReduceOp op : ReduceOp.values()) {
            check(op, x, 4, 5);
            check(op, TestTensors.strided(scope, x), 4, 5);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void stridedOutputsAndBroadcastInputs(DType dt) {
        Tensor x = TestTensors.random(scope, dt, 21, 6, 70);
        Tensor outStore = scope.full(dt, -5, 6, 3);
        Tensor outView = outStore.slice(1, 1, 2); // [6, 1], stride 3
        Tensor expected = scope.empty(dt, 6, 1);
        REF.reduce(ReduceOp.SUM, x, expected);
        cpu2.reduce(ReduceOp.SUM, x, outView);
        TestTensors.assertClose(expected, outView, TestTensors.rtol(dt), 1e-5);
        assertEquals(-5, outStore.get(3, 0));
        assertEquals(-5, outStore.get(3, 2));
        Tensor row = TestTensors.random(scope, dt, 22, 1, 70);
        for (ReduceOp op : ReduceOp.values()) {
            check(op, row.broadcastTo(50, 70), 1, 70);
            check(op, row.broadcastTo(50, 70), 50, 1);
            check(op, row.broadcastTo(50, 70), 1, 1);
        }
    }

    @Test
    void badShapesAreNamed() {
        Tensor x = scope.empty(DType.F32, 4, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> cpu1.reduce(ReduceOp.SUM, x, scope.empty(DType.F32, 4)));
        assertTrue(e.getMessage().contains("reduce SUM") && e.getMessage().contains("[4, 5]")
                && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cpu1.reduce(ReduceOp.MEAN, x, scope.empty(DType.F32, 2, 1)));
        assertTrue(e.getMessage().contains("reduce MEAN") && e.getMessage().contains("[2, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cpu1.reduce(ReduceOp.MAX, x, scope.empty(DType.F64, 4, 1)));
        assertTrue(e.getMessage().contains("mixed dtypes"), e.getMessage());
    }

    /** Reduces x into a fresh out of shape {@code os} with both CPU backends and compares with the reference. */
    private void check(ReduceOp op, Tensor x, int... os) {
        DType dt = x.dtype();
        Tensor expected = scope.empty(dt, os);
        REF.reduce(op, x, expected);
        long count = Math.max(1, x.numel() / Math.max(1, expected.numel()));
        // Sums of values in [-1, 1] cancel: allow rounding of the terms' magnitude, not only of the result.
        double atol = (dt == DType.F32 ? 1e-6 : 1e-14) * count;
        for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
            Tensor actual = scope.full(dt, Double.NaN, os);
            b.reduce(op, x, actual);
            try {
                TestTensors.assertClose(expected, actual, TestTensors.rtol(dt), atol);
            } catch (AssertionError err) {
                throw new AssertionError(op + " of " + x + " strides " + java.util.Arrays.toString(x.strides()) + " to "
                        + java.util.Arrays.toString(os) + " on " + b.describe() + ": " + err.getMessage(), err);
            }
        }
    }
}
