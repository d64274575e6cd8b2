package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static optlab.tensor.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Copies that transpose ({@link ElementwiseLoop#transposes()}, done by {@link TransposeF32} and
 * {@link TransposeF64} in tiles) against the reference copy: 2-D transposes of awkward sizes around
 * the tile and lane counts, into contiguous and row-strided outputs, batched attention-style
 * permutes, views at an offset, and one big enough to split over threads.
 */
class TransposeCopyTest extends KernelFixture {
    private static final int[] SIZES = {1, 2, 3, 15, 17, 31, 33, 64, 127};

    static Stream<DType> dtypes() {
        return Stream.of(DType.F32, DType.F64);
    }

    /** out = x.mT() for x [c, r], into a contiguous [r, c] and into a [r, c] window of a wider tensor. */
    @ParameterizedTest
    @MethodSource("dtypes")
    void matrixTransposes(DType dt) {
        for (int r : SIZES) {
            for (int c : SIZES) {
                Tensor x = random(scope, dt, 31L * r + c, c, r).mT();
                check(x, scope.full(dt, Double.NaN, r, c), r > 1 && c > 1);
                Tensor wide = scope.full(dt, Double.NaN, r, c + 5).slice(1, 2, c + 2);
                check(x, wide, r > 1 && c > 1);
            }
        }
    }

    /** The attention gradient's layout: [B, H, D, T] contiguous, seen as [B, T, H, D]. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void batchedPermutes(DType dt) {
        Tensor g = random(scope, dt, 5, 2, 3, 17, 65);
        Tensor view = g.mT().permute(0, 2, 1, 3); // [B, T, H, D], D strided by T
        check(view, scope.full(dt, Double.NaN, 2, 65, 3, 17), true);
        Tensor t3 = random(scope, dt, 6, 4, 33, 40).permute(0, 2, 1);
        check(t3, scope.full(dt, Double.NaN, 4, 40, 33), true);
    }

    /** A sliced, transposed view (offset, gaps between rows) and a large case split over threads. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void offsetViewsAndLargeCopies(DType dt) {
        Tensor x = random(scope, dt, 7, 5, 40, 70).slice(0, 1, 4).slice(1, 3, 37).slice(2, 2, 69).mT(); // [3, 67, 34]
        check(x, scope.full(dt, Double.NaN, 3, 67, 34), true);
        Tensor big = random(scope, dt, 8, 257, 300).mT();
        check(big, scope.full(dt, Double.NaN, 300, 257), true);
    }

    /** Empty transposed views copy nothing. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyTransposes(DType dt) {
        Tensor x = scope.zeros(dt, 0, 5).mT();
        cpu2.copy(x, scope.empty(dt, 5, 0));
        Tensor y = scope.zeros(dt, 4, 0, 6).permute(0, 2, 1);
        cpu2.copy(y, scope.empty(dt, 4, 6, 0));
    }

    /** A broadcast input or a strided one without a unit-stride axis is not a transpose. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void otherLayoutsAreNotTransposes(DType dt) {
        Tensor column = random(scope, dt, 9, 7, 1);
        assertFalse(ElementwiseLoop.of(scope.empty(dt, 7, 9), column).transposes());
        Tensor everyOther = random(scope, dt, 10, 6, 20).slice(1, 0, 20, 2);
        assertFalse(ElementwiseLoop.of(scope.empty(dt, 6, 10), everyOther).transposes());
        check(everyOther, scope.full(dt, Double.NaN, 6, 10), false);
    }

    private void check(Tensor x, Tensor out, boolean transposes) {
        assertTrue(ElementwiseLoop.of(out, x).transposes() == transposes, "transposes() for " + x);
        Tensor want = scope.zeros(x.dtype(), x.shape());
        REF.copy(x, want);
        cpu1.copy(x, out);
        assertClose(want, out, 0, 0);
        REF.fill(out, Double.NaN);
        cpu2.copy(x, out);
        assertClose(want, out, 0, 0);
    }
}
