package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static optlab.tensor.TestTensors.random;
import static optlab.tensor.TestTensors.strided;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fused batch-norm kernels against the reference loops, which finite differences check. */
class BatchNormTest extends KernelFixture {
    /** [N, C, ...] at awkward sizes: runs of 1, 3, 17, 33, lanes ± 1, a prime; rank 2, 3 and 4. */
    private static final int[][] SHAPES = {
        {2, 1}, {3, 5}, {17, 3}, {2, 3, 1}, {3, 2, 17}, {2, 3, 33}, {1, 2, 3, 5}, {3, 4, 7, 15}, {2, 3, 1, 17},
        {2, 2, 5, 127}, {5, 3, 4, 4}, {4, 16, 8, 8}, {1, 2, 1, 1009},
    };

    @ParameterizedTest
    @EnumSource(DType.class)
    void forwardAndBackwardMatchReference(DType dt) {
        for (int[] shape : SHAPES) {
            int c = shape[1];
            Tensor x = random(scope, dt, 1, shape), gOut = random(scope, dt, 2, shape);
            Tensor gamma = random(scope, dt, 3, c), beta = random(scope, dt, 4, c);
            Tensor want = scope.zeros(dt, shape), wantMean = scope.zeros(dt, c), wantVar = scope.zeros(dt, c);
            REF.batchNorm(x, gamma, beta, 1e-5, want, wantMean, wantVar);
            Tensor wantGx = scope.zeros(dt, shape), wantGg = scope.zeros(dt, c), wantGb = scope.zeros(dt, c);
            REF.batchNormBackward(gOut, x, wantMean, wantVar, gamma, 1e-5, wantGx, wantGg, wantGb);
            double m = x.numel() / c, tol = TestTensors.rtol(dt), sumTol = tol * Math.sqrt(m);
            for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
                for (boolean views : new boolean[] {false, true}) {
                    Tensor xs = views ? strided(scope, x) : x, gs = views ? strided(scope, gOut) : gOut;
                    Tensor out = fresh(shape, dt, views), mean = fresh(new int[] {c}, dt, views);
                    Tensor var = fresh(new int[] {c}, dt, views);
                    b.batchNorm(xs, views ? strided(scope, gamma) : gamma, beta, 1e-5, out, mean, var);
                    assertClose(want, out, tol, tol * 10);
                    assertClose(wantMean, mean, tol, tol);
                    assertClose(wantVar, var, tol, tol);
                    Tensor gx = fresh(shape, dt, views), gg = fresh(new int[] {c}, dt, views);
                    Tensor gb = fresh(new int[] {c}, dt, views);
                    b.batchNormBackward(gs, xs, wantMean, wantVar, gamma, 1e-5, gx, gg, gb);
                    assertClose(wantGx, gx, tol, sumTol * 10);
                    assertClose(wantGg, gg, tol, sumTol);
                    assertClose(wantGb, gb, tol, sumTol);
                }
            }
        }
    }

    /** No affine parameters, no input gradient wanted, and a channels-last (transposed) view of x. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void optionalArgumentsAndPermutedViews(DType dt) {
        Tensor x = scope.copyOf(random(scope, dt, 5, 3, 9, 10, 4).permute(0, 3, 1, 2)); // [3, 4, 9, 10]
        Tensor xt = random(scope, dt, 5, 3, 9, 10, 4).permute(0, 3, 1, 2); // same values, W stride 4
        Tensor gOut = random(scope, dt, 6, 3, 4, 9, 10);
        Tensor want = scope.zeros(dt, 3, 4, 9, 10), mean = scope.zeros(dt, 4), var = scope.zeros(dt, 4);
        REF.batchNorm(x, null, null, 1e-3, want, mean, var);
        Tensor wantGg = scope.zeros(dt, 4), wantGx = scope.zeros(dt, x.shape());
        REF.batchNormBackward(gOut, x, mean, var, null, 1e-3, wantGx, wantGg, null);
        double tol = TestTensors.rtol(dt);
        Tensor out = scope.zeros(dt, x.shape()), m2 = scope.zeros(dt, 4), v2 = scope.zeros(dt, 4);
        cpu2.batchNorm(xt, null, null, 1e-3, out, m2, v2);
        assertClose(want, out, tol, tol * 10);
        Tensor gg = scope.full(dt, Double.NaN, 4), gx = scope.full(dt, Double.NaN, x.shape());
        cpu2.batchNormBackward(gOut, xt, mean, var, null, 1e-3, null, gg, null);
        assertClose(wantGg, gg, tol, tol * 30);
        cpu2.batchNormBackward(gOut, xt, mean, var, null, 1e-3, gx, null, null);
        assertClose(wantGx, gx, tol, tol * 30);
    }

    /** Values 1e3 + small noise in F32: the centred passes keep the digits that E[x²] − E[x]² loses. */
    @Test
    void largeMeanInFloat() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = scope.empty(DType.F32, 8, 3, 16, 17);
        Tensor x64 = scope.empty(DType.F64, x.shape());
        for (long i = 0; i < x.numel(); i++) {
            x.setFlat(i, 1e3 + rng.nextDouble() - 0.5);
            x64.setFlat(i, x.getFlat(i));
        }
        Tensor want = scope.zeros(DType.F64, x.shape()), m = scope.zeros(DType.F64, 3), v = scope.zeros(DType.F64, 3);
        REF.batchNorm(x64, null, null, 1e-5, want, m, v);
        Tensor out = scope.zeros(DType.F32, x.shape()), m32 = scope.zeros(DType.F32, 3), v32 = scope.zeros(DType.F32, 3);
        cpu2.batchNorm(x, null, null, 1e-5, out, m32, v32);
        assertClose(want, toF64(out), 2e-4, 2e-4);
        assertClose(v, toF64(v32), 1e-4, 1e-6);
    }

    /** The reference backward is the gradient of Σ batchNorm(x) ⊙ r in x, gamma and beta. */
    @Test
    void referenceGradientsMatchFiniteDifferences() {
        for (int[] shape : new int[][] {{3, 2, 5}, {2, 3, 2, 3}, {4, 3}}) {
            int c = shape[1];
            Tensor x = random(scope, DType.F64, 1, shape), r = random(scope, DType.F64, 2, shape);
            Tensor gamma = random(scope, DType.F64, 3, c), beta = random(scope, DType.F64, 4, c);
            Tensor out = scope.zeros(DType.F64, shape), mean = scope.zeros(DType.F64, c), var = scope.zeros(DType.F64, c);
            java.util.function.DoubleSupplier loss = () -> {
                REF.batchNorm(x, gamma, beta, 1e-5, out, mean, var);
                return FiniteDifferences.dot(out, r);
            };
            loss.getAsDouble();
            Tensor gx = scope.zeros(DType.F64, shape), gg = scope.zeros(DType.F64, c), gb = scope.zeros(DType.F64, c);
            REF.batchNormBackward(r, x, mean, var, gamma, 1e-5, gx, gg, gb);
            FiniteDifferences.check("gx", x, gx, loss, 1e-5, 1e-7);
            FiniteDifferences.check("gGamma", gamma, gg, loss, 1e-5, 1e-7);
            FiniteDifferences.check("gBeta", beta, gb, loss, 1e-5, 1e-7);
        }
    }

    @Test
    void badShapesAreNamed() {
        Tensor x = scope.zeros(DType.F32, 2, 3, 4), out = scope.zeros(DType.F32, 2, 3, 4);
        Tensor c3 = scope.zeros(DType.F32, 3), c4 = scope.zeros(DType.F32, 4);
        for (Backend b : new Backend[] {REF, cpu2}) {
            var e = assertThrows(IllegalArgumentException.class, () -> b.batchNorm(x, c4, null, 1e-5, out, c3, c3));
            assertTrue(e.getMessage().startsWith("batchNorm: gamma must have shape [3], got [4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.batchNorm(scope.zeros(DType.F32, 3), null, null, 1e-5, c3, c3, c3));
            assertTrue(e.getMessage().startsWith("batchNorm: x must be [N, C, ...], got [3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.batchNormBackward(out, x, c3, c3, null, 1e-5, scope.zeros(DType.F64, 2, 3, 4), null, null));
            assertTrue(e.getMessage().startsWith("batchNormBackward: mixed dtypes"), e.getMessage());
        }
    }

    private Tensor fresh(int[] shape, DType dt, boolean view) {
        Tensor t = scope.full(dt, Double.NaN, shape);
        return view ? strided(scope, t) : t;
    }

    private Tensor toF64(Tensor t) {
        Tensor d = scope.empty(DType.F64, t.shape());
        d.copyFrom(t);
        return d;
    }
}
