package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CPU moments (mean, variance) against the reference, including the large-offset F32 case. */
class MomentsTest extends KernelFixture {
    @ParameterizedTest
    @EnumSource(DType.class)
    void everyAxisSetOfRank3And4(DType dt) {
        for (int[] shape : new int[][] {{3, 17, 5}, {2, 3, 4, 9}}) {
            Tensor x = TestTensors.random(scope, dt, 3, shape);
            Tensor strided = TestTensors.strided(scope, x);
            Tensor transposed = scope.copyOf(x.transpose(0, -1)).transpose(0, -1);
            for (int mask = 0; mask < 1 << shape.length; mask++) {
                int[] os = shape.clone();
                for (int d = 0; d < shape.length; d++) {
                    if ((mask >> d & 1) != 0) {
                        os[d] = 1;
                    }
                }
                for (int correction : new int[] {0, 1}) {
                    check(x, correction, os);
                    check(strided, correction, os);
                    check(transposed, correction, os);
                }
            }
        }
    }

    /** The normalization shapes, at awkward widths and at sizes that split over threads. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void layerNormAndBatchNormShapes(DType dt) {
        for (int d : ReduceTest.LENGTHS) {
            Tensor x = TestTensors.random(scope, dt, d, 2, 3, d); // LayerNorm [N, T, D] -> [N, T, 1]
            check(x, 0, 2, 3, 1);
            check(x, 1, 1, 1, d); // per-feature statistics: a column plan
        }
        Tensor image = TestTensors.random(scope, dt, 7, 16, 5, 29, 31); // BatchNorm [N, C, H, W] -> [1, C, 1, 1]
        check(image, 0, 1, 5, 1, 1);
        check(image.permute(0, 2, 3, 1), 0, 1, 1, 1, 5); // channels-last view
        Tensor tokens = TestTensors.random(scope, dt, 8, 300, 517);
        check(tokens, 0, 300, 1);
        check(tokens, 1, 1, 517);
        Tensor longRow = TestTensors.random(scope, dt, 9, 100003);
        check(longRow, 1, 1);
        // Fewer outputs than cpu2 wants tasks: the reduction itself is split and partial sums combined.
        check(TestTensors.random(scope, dt, 10, 8, 3, 37, 41), 1, 1, 3, 1, 1);
        check(TestTensors.random(scope, dt, 11, 30011, 3), 0, 1, 3);
    }

    /** Values 1e4 + small noise: E[x²] − E[x]² in F32 would lose every digit; two passes keep them. */
    @Test
    void largeOffsetVarianceInFloat() {
        SplittableRandom rng = new SplittableRandom(17);
        for (int[] shape : new int[][] {{4, 6, 1000}, {8, 3, 20, 21}, {200003}}) {
            Tensor x = scope.empty(DType.F32, shape);
            for (long i = 0; i < x.numel(); i++) {
                x.setFlat(i, 1e4 + 0.1 * (rng.nextDouble() - 0.5));
            }
            int[] os = shape.clone();
            for (int d = 0; d < os.length; d++) {
                if (shape.length == 3 ? d == 2 : shape.length == 1 || d != 1) {
                    os[d] = 1;
                }
            }
            Tensor refMean = scope.empty(DType.F32, os), refVar = scope.empty(DType.F32, os);
            REF.moments(x, refMean, refVar, 0);
            for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
                Tensor mean = scope.empty(DType.F32, os), var = scope.empty(DType.F32, os);
                b.moments(x, mean, var, 0);
                TestTensors.assertClose(refMean, mean, 1e-7, 0);
                TestTensors.assertClose(refVar, var, 1e-4, 0);
                assertEquals(0.1 * 0.1 / 12, var.getFlat(0), 0.1 * 0.1 / 12 * 0.2); // uniform noise: width²/12
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void degenerateCounts(DType dt) {
        Tensor one = TestTensors.random(scope, dt, 1, 4, 1);
        Tensor mean = scope.empty(dt, 4, 1), var = scope.empty(dt, 4, 1);
        cpu1.moments(one, mean, var, 1);
        assertEquals(one.get(2, 0), mean.get(2, 0));
        assertTrue(Double.isNaN(var.get(2, 0)), "n - correction = 0 gives NaN, as torch");
        cpu1.moments(one, mean, var, 0);
        assertEquals(0, var.get(2, 0));
        Tensor empty = scope.empty(dt, 4, 0);
        cpu1.moments(empty, mean, var, 0);
        assertTrue(Double.isNaN(mean.get(0, 0)) && Double.isNaN(var.get(3, 0)));
    }

    /** mean and var may be views (here interleaved columns of one buffer) with their own strides. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void stridedOutputs(DType dt) {
        Tensor x = TestTensors.random(scope, dt, 12, 6, 100);
        Tensor em = scope.empty(dt, 6, 1), ev = scope.empty(dt, 6, 1);
        REF.moments(x, em, ev, 1);
        for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
            Tensor both = scope.full(dt, -7, 6, 3);
            Tensor mean = both.slice(1, 0, 1), var = both.slice(1, 2, 3);
            b.moments(x, mean, var, 1);
            TestTensors.assertClose(em, mean, TestTensors.rtol(dt), 1e-6);
            TestTensors.assertClose(ev, var, TestTensors.rtol(dt), 0);
            assertEquals(-7, both.get(4, 1));
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = scope.empty(DType.F32, 4, 5);
        var e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.moments(x, scope.empty(DType.F32, 4, 1), scope.empty(DType.F32, 1, 5), 0));
        assertTrue(e.getMessage().contains("moments") && e.getMessage().contains("var")
                && e.getMessage().contains("[1, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.moments(x, scope.empty(DType.F32, 3, 1), scope.empty(DType.F32, 3, 1), 0));
        assertTrue(e.getMessage().contains("mean") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.moments(x, scope.empty(DType.F32, 4, 1), scope.empty(DType.F32, 4, 1), -1));
        assertTrue(e.getMessage().contains("correction"), e.getMessage());
    }

    private void check(Tensor x, int correction, int... os) {
        DType dt = x.dtype();
        Tensor em = scope.empty(dt, os), ev = scope.empty(dt, os);
        REF.moments(x, em, ev, correction);
        double rtol = dt == DType.F32 ? 1e-4 : 1e-11;
        double atol = dt == DType.F32 ? 1e-5 : 1e-13; // means of ±1 values cancel
        for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
            Tensor mean = scope.full(dt, Double.NaN, os), var = scope.full(dt, Double.NaN, os);
            b.moments(x, mean, var, correction);
            try {
                TestTensors.assertClose(em, mean, rtol, atol);
                TestTensors.assertClose(ev, var, rtol, 0);
            } catch (AssertionError err) {
                throw new AssertionError("moments of " + x + " strides " + java.util.Arrays.toString(x.strides())
                        + " to " + java.util.Arrays.toString(os) + " correction " + correction + " on "
                        + b.describe() + ": " + err.getMessage(), err);
            }
        }
    }
}
