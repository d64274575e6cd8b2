package optlab.optim.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.optim.GradientOracle;
import optlab.optim.TinyNet;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HessianTopTest {

    /** A = Q diag(spectrum) Qᵀ with a random orthogonal Q (Gram–Schmidt of a Gaussian matrix). */
    static double[][] withSpectrum(double[] spectrum, long seed) {
        int n = spectrum.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = rng.nextDouble() * 2 - 1;
            }
            for (int k = 0; k < j; k++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += col[i] * q[i][k];
                }
                for (int i = 0; i < n; i++) {
                    col[i] -= d * q[i][k];
                }
            }
            double nrm = 0;
            for (double c : col) {
                nrm += c * c;
            }
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < n; i++) {
                q[i][j] = col[i] / nrm;
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i][k] * spectrum[k] * q[j][k];
                }
                a[i][j] = s;
            }
        }
        return a;
    }

    /** ∇(½ θᵀAθ − bᵀθ) = Aθ − b, computed in the parameters' dtype (float arithmetic for F32). */
    static GradientOracle quadratic(double[][] a, double[] b) {
        return (params, out) -> {
            int n = b.length;
            for (int i = 0; i < n; i++) {
                if (params.dtype() == DType.F32) {
                    float s = 0;
                    for (int j = 0; j < n; j++) {
                        s += (float) a[i][j] * (float) params.getFlat(j);
                    }
                    out.setFlat(i, s - (float) b[i]);
                } else {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += a[i][j] * params.getFlat(j);
                    }
                    out.setFlat(i, s - b[i]);
                }
            }
        };
    }

    private static Tensor randomParams(Scope s, DType dtype, int n, long seed) {
        return s.randn(dtype, new SplittableRandom(seed), n);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void quadraticWithKnownSpectrum(DType dtype) {
        double[] spectrum = {10, 6, 5, 3, 2.5, 1, 0.5, 0, -1, -4, 0.1, 0.2, 0.3, 7, -6, 2, 1.5, 0.7, 0.01, 4};
        double[][] a = withSpectrum(spectrum, 11);
        double[] b = new double[spectrum.length];
        java.util.Arrays.fill(b, 0.3);
        try (Scope s = Scope.open()) {
            Tensor theta = randomParams(s, dtype, spectrum.length, 5);
            double[] before = theta.toDoubleArray();
            // Stopping tolerance above each dtype's noise floor: F32 differences jitter the estimate by ~1e-5.
            double tol = dtype == DType.F64 ? 1e-13 : 1e-6;
            HessianTop.Result r = HessianTop.powerIteration(quadratic(a, b), theta, 500, tol, 42);
            // FD is exact on a quadratic; what is left is rounding: ~1e-16/t in F64, ~ε^(2/3) = 2.4e-5 in F32.
            double rtol = dtype == DType.F64 ? 1e-9 : 2e-4;
            assertEquals(10, r.eigenvalue(), rtol * 10, dtype + " " + r);
            assertTrue(r.converged(), "rate 7/10 per step converges well within 500 steps: " + r.iterations());
            assertTrue(r.residual() < (dtype == DType.F64 ? 1e-5 : 3e-2), "residual " + r.residual());
            assertTrue(java.util.Arrays.equals(before, theta.toDoubleArray()), "parameters restored exactly");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void dominantNegativeEigenvalueKeepsItsSign(DType dtype) {
        double[] spectrum = {-9, 4, 2, 1, -3, 0.5, 6, -0.5};
        double[][] a = withSpectrum(spectrum, 3);
        try (Scope s = Scope.open()) {
            Tensor theta = randomParams(s, dtype, spectrum.length, 9);
            HessianTop.Result r = HessianTop.powerIteration(quadratic(a, new double[spectrum.length]), theta, 500, 1e-13, 7);
            assertEquals(-9, r.eigenvalue(), (dtype == DType.F64 ? 1e-9 : 2e-4) * 9, r.toString());
        }
    }

    /** Explicit Hessian by central differences of the gradient along each coordinate, symmetrized. */
    static double[][] explicitHessian(GradientOracle oracle, Tensor params, double step) {
        int n = Math.toIntExact(params.numel());
        double[] theta = params.toDoubleArray();
        double[][] hm = new double[n][n];
        try (Scope s = Scope.open()) {
            Tensor gp = s.zeros(params.dtype(), n);
            Tensor gm = s.zeros(params.dtype(), n);
            for (int i = 0; i < n; i++) {
                params.setFlat(i, theta[i] + step);
                oracle.gradient(params, gp);
                params.setFlat(i, theta[i] - step);
                oracle.gradient(params, gm);
                params.setFlat(i, theta[i]);
                for (int j = 0; j < n; j++) {
                    hm[i][j] = (gp.getFlat(j) - gm.getFlat(j)) / (2 * step);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double m = (hm[i][j] + hm[j][i]) / 2;
                hm[i][j] = m;
                hm[j][i] = m;
            }
        }
        return hm;
    }

    @Test
    void tinyNetMatchesTheExplicitFiniteDifferenceHessian() {
        TinyNet net = new TinyNet(16, 1);
        try (Scope s = Scope.open()) {
            Tensor theta = s.randn(DType.F64, new SplittableRandom(2), net.size());
            double expected = SymmetricEigen.top(explicitHessian(net, theta, 1e-5));
            HessianTop.Result r = HessianTop.powerIteration(net, theta, 2000, 1e-12, 3);
            assertTrue(r.converged(), r.toString());
            assertEquals(expected, r.eigenvalue(), 1e-6 * Math.abs(expected), "explicit " + expected + " vs " + r);
        }
    }

    @Test
    void tinyNetInFloat32AgreesWithTheDoubleResult() {
        TinyNet net = new TinyNet(16, 4);
        try (Scope s = Scope.open()) {
            Tensor t64 = s.randn(DType.F64, new SplittableRandom(8), net.size());
            Tensor t32 = s.copyOf(t64, DType.F32);
            Tensor back = s.copyOf(t32, DType.F64); // the same point, representable in float
            double expected = HessianTop.powerIteration(net, back, 2000, 1e-12, 3).eigenvalue();
            HessianTop.Result r = HessianTop.powerIteration(net, t32, 2000, 1e-9, 3);
            // F32 parameters, gradient rounded to float: FD error ~ ε^(2/3) ≈ 2.4e-5 relative, plus the truncation
            // error of the larger step (t² ‖∇³ℓ‖ ~ 1e-5 here).
            assertEquals(expected, r.eigenvalue(), 2e-4 * Math.abs(expected), r.toString());
        }
    }

    @Test
    void badInputIsRejectedWithTheArgumentNamed() {
        try (Scope s = Scope.open()) {
            Tensor m = s.zeros(DType.F64, 3, 4);
            GradientOracle zero = (p, g) -> { };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HessianTop.powerIteration(zero, m.transpose(0, 1), 10, 1e-6, 1));
            assertTrue(e.getMessage().contains("contiguous") && e.getMessage().contains("[4, 3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> HessianTop.powerIteration(zero, m, 0, 1e-6, 1));
            assertTrue(e.getMessage().contains("iters"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> HessianTop.powerIteration(zero, m, 5, 1e-6, 1, 0));
            assertThrows(NullPointerException.class, () -> HessianTop.powerIteration(null, m, 5, 1e-6, 1));
            // A zero Hessian gives λ = 0 at once, not a division by zero.
            HessianTop.Result r = HessianTop.powerIteration(zero, m, 5, 1e-6, 1);
            assertEquals(0, r.eigenvalue());
            assertEquals(1, r.iterations());
        }
    }

    @Test
    void nonFiniteGradientsFailClearly() {
        try (Scope s = Scope.open()) {
            Tensor p = s.zeros(DType.F64, 4);
            GradientOracle nan = (q, g) -> g.setFlat(0, Double.NaN);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HessianTop.powerIteration(nan, p, 5, 1e-6, 1));
            assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        }
    }
}
