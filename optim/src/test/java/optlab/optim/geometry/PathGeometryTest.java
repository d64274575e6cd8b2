package optlab.optim.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import optlab.optim.ParamRange;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RSI, EB and friends on the quadratic ½(w − w*)ᵀA(w − w*) with diagonal A, whose gradient Aδ gives
 * closed forms; the weight-decay variant; the last point; per-range breakdowns; the random baseline.
 */
class PathGeometryTest {
    static final int N = 37;

    /** w*, w and the diagonal a as stored in {@code dtype} (so expected values use what the tool reads). */
    record Quadratic(Tensor wStar, Tensor w, Tensor g, double[] a) {
        double[] delta() {
            double[] d = new double[N];
            for (int i = 0; i < N; i++) {
                d[i] = w.getFlat(i) - wStar.getFlat(i);
            }
            return d;
        }
    }

    static Quadratic quadratic(Scope scope, DType dtype, double[] a, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor wStar = scope.randn(dtype, rng, N);
        Tensor w = scope.randn(dtype, rng, N);
        Tensor g = scope.zeros(dtype, N);
        for (int i = 0; i < N; i++) {
            g.setFlat(i, a[i] * (w.getFlat(i) - wStar.getFlat(i)));
        }
        return new Quadratic(wStar, w, g, a);
    }

    static double[] constant(double c) {
        double[] a = new double[N];
        java.util.Arrays.fill(a, c);
        return a;
    }

    static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void isotropicQuadraticHasUnitCosineAndRsiEqualToEb(DType dtype) {
        double c = 2.5;
        try (Scope scope = Scope.open()) {
            Quadratic q = quadratic(scope, dtype, constant(c), 1);
            GeometryStep s = PathGeometry.dots(q.w(), q.g(), q.wStar(), null).step();
            // F32 rounds g = c·δ when stored, so the identities hold to float precision there.
            double tol = dtype == DType.F32 ? 1e-6 : 1e-13;
            assertEquals(1, s.cos(), tol);
            assertEquals(c, s.rsi(), tol * c);
            assertEquals(c, s.eb(), tol * c);
            assertEquals(1 / c, s.loLR(), tol / c);
            assertTrue(Double.isNaN(s.updateNorm()) && Double.isNaN(s.updateCos()));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void diagonalQuadraticMatchesClosedForms(DType dtype) {
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = 0.1 + i * 0.3;
        }
        try (Scope scope = Scope.open()) {
            Quadratic q = quadratic(scope, dtype, a, 2);
            double[] d = q.delta();
            double ad2 = 0, a2d2 = 0, d2 = 0, gd = 0, gg = 0;
            for (int i = 0; i < N; i++) {
                double gi = q.g().getFlat(i);
                ad2 += a[i] * d[i] * d[i];
                a2d2 += a[i] * a[i] * d[i] * d[i];
                d2 += d[i] * d[i];
                gd += gi * d[i];
                gg += gi * gi;
            }
            GeometryStep s = PathGeometry.step(q.w(), q.g(), q.wStar(), null, 0);
            double tol = dtype == DType.F32 ? 1e-6 : 1e-13;
            // Closed forms of the quadratic (up to the rounding of the stored g in F32) ...
            assertEquals(ad2 / d2, s.rsi(), tol * ad2 / d2);
            assertEquals(Math.sqrt(a2d2) / Math.sqrt(d2), s.eb(), tol * Math.sqrt(a2d2 / d2));
            // ... and exactly the definitions on the stored g.
            close(gd / d2, s.rsi(), "rsi");
            close(Math.sqrt(gg / d2), s.eb(), "eb");
            close(gd / Math.sqrt(gg * d2), s.cos(), "cos");
            close(gd / gg, s.loLR(), "loLR");
            close(Math.sqrt(d2), s.distance(), "distance");
            close(s.rsi() / s.eb(), s.cos(), "cos = RSI/EB");
            close(s.rsi() / (s.eb() * s.eb()), s.loLR(), "loLR = RSI/EB²");
            assertTrue(s.cos() > 0 && s.cos() < 1);
        }
    }

    @Test
    void loLRMinimizesTheDistanceAfterAStep() {
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = 1 + (i % 5);
        }
        try (Scope scope = Scope.open()) {
            Quadratic q = quadratic(scope, DType.F64, a, 3);
            double eta = PathGeometry.dots(q.w(), q.g(), q.wStar(), null).step().loLR();
            double at = distanceAfter(q, eta), eps = 1e-3 * eta;
            assertTrue(at < distanceAfter(q, eta - eps) && at < distanceAfter(q, eta + eps));
        }
    }

    static double distanceAfter(Quadratic q, double eta) {
        double s = 0;
        for (int i = 0; i < N; i++) {
            double r = q.w().getFlat(i) - eta * q.g().getFlat(i) - q.wStar().getFlat(i);
            s += r * r;
        }
        return Math.sqrt(s);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void weightDecayVariantUsesGradientPlusLambdaW(DType dtype) {
        double lambda = 0.3;
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = 0.5 + (i % 7);
        }
        try (Scope scope = Scope.open()) {
            Quadratic q = quadratic(scope, dtype, a, 4);
            double[] d = q.delta();
            // ĝ = Aδ + λw, the gradient of ½δᵀAδ + ½λ‖w‖², formed in double from the stored values.
            double gd = 0, gg = 0, d2 = 0;
            for (int i = 0; i < N; i++) {
                double gi = q.g().getFlat(i) + lambda * q.w().getFlat(i);
                gd += gi * d[i];
                gg += gi * gi;
                d2 += d[i] * d[i];
            }
            PathDots dots = PathGeometry.dots(q.w(), q.g(), q.wStar(), null);
            GeometryStep s = dots.step(lambda);
            assertEquals(lambda, s.weightDecay());
            close(gd / d2, s.rsi(), "rsi");
            close(Math.sqrt(gg / d2), s.eb(), "eb");
            close(gd / Math.sqrt(gg * d2), s.cos(), "cos");
            close(gd / gg, s.loLR(), "loLR");
            close(Math.sqrt(gg), s.gradNorm(), "gradNorm");
            // λ = 0 is the plain gradient, field for field.
            assertEquals(dots.step(), dots.step(0.0));
            assertThrows(IllegalArgumentException.class, () -> dots.step(-1));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gradientDescentUpdateHasTheGradientsCosine(DType dtype) {
        double eta = 0.125, lambda = 0.01;
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = 1 + 0.1 * i;
        }
        try (Scope scope = Scope.open()) {
            Quadratic q = quadratic(scope, dtype, a, 5);
            Tensor next = scope.zeros(dtype, N);
            double[] u = new double[N];
            for (int i = 0; i < N; i++) {
                double wi = q.w().getFlat(i);
                next.setFlat(i, wi - eta * (q.g().getFlat(i) + lambda * wi));
                u[i] = next.getFlat(i) - wi;
            }
            double[] d = q.delta();
            double ud = 0, uu = 0;
            for (int i = 0; i < N; i++) {
                ud += u[i] * d[i];
                uu += u[i] * u[i];
            }
            GeometryStep s = PathGeometry.step(q.w(), q.g(), q.wStar(), next, lambda);
            close(Math.sqrt(uu), s.updateNorm(), "updateNorm");
            close(ud, s.updateDot(), "updateDot");
            assertTrue(s.updateDot() < 0, "gradient descent on a convex quadratic moves towards w*");
            // u = −ηĝ up to the rounding of w_{t+1} to the dtype.
            assertEquals(s.cos(), s.updateCos(), dtype == DType.F32 ? 1e-5 : 1e-12);
            assertEquals(eta * s.gradNorm(), s.updateNorm(), (dtype == DType.F32 ? 1e-5 : 1e-12) * s.updateNorm());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void lastPointGivesNaNRatiosAndZeroDistance(DType dtype) {
        try (Scope scope = Scope.open()) {
            Tensor w = scope.randn(dtype, new SplittableRandom(6), N);
            Tensor g = scope.randn(dtype, new SplittableRandom(7), N);
            for (double lambda : new double[] {0, 0.1}) {
                GeometryStep s = PathGeometry.step(w, g, w, w, lambda);
                assertEquals(0, s.distance());
                assertTrue(s.gradNorm() > 0);
                assertTrue(Double.isNaN(s.rsi()) && Double.isNaN(s.eb()) && Double.isNaN(s.cos())
                        && Double.isNaN(s.loLR()) && Double.isNaN(s.updateCos()));
                assertEquals(0, s.updateNorm());
            }
        }
    }

    @Test
    void noNextPointLeavesTheOtherDotsUnchanged() {
        try (Scope scope = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(8);
            Tensor w = scope.randn(DType.F32, rng, 100), g = scope.randn(DType.F32, rng, 100);
            Tensor s = scope.randn(DType.F32, rng, 100), x = scope.randn(DType.F32, rng, 100);
            PathDots with = PathGeometry.dots(w, g, s, x), without = PathGeometry.dots(w, g, s, null);
            assertTrue(with.hasUpdate());
            assertFalse(without.hasUpdate());
            assertEquals(new PathDots(with.count(), with.gDelta(), with.gSq(), with.deltaSq(), with.wDelta(), with.gW(),
                    with.wSq(), Double.NaN, Double.NaN), without);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void perRangeBreakdownIsConsistentWithTheTotal(DType dtype) {
        // Blocks of constant curvature: within each, g = c_r δ, so cos_r = 1 and RSI_r = EB_r = c_r.
        double[] a = new double[N];
        List<ParamRange> ranges = List.of(new ParamRange("fc1.weight", "weight", 0, 20), new ParamRange("fc1.bias", "weight", 20, 5),
                new ParamRange("fc2.weight", "weight", 25, 11), new ParamRange("fc2.bias", "weight", 36, 1));
        double[] c = {0.5, 2, 4, 8};
        for (int r = 0; r < ranges.size(); r++) {
            for (long i = ranges.get(r).offset(); i < ranges.get(r).offset() + ranges.get(r).numel(); i++) {
                a[(int) i] = c[r];
            }
        }
        try (Scope scope = Scope.open()) {
            Quadratic q = quadratic(scope, dtype, a, 9);
            Tensor next = scope.randn(dtype, new SplittableRandom(10), N);
            PathDots total = PathGeometry.dots(q.w(), q.g(), q.wStar(), next);
            Map<String, PathDots> per = PathGeometry.dotsByRange(q.w(), q.g(), q.wStar(), next, ranges);
            assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(per.keySet()));
            PathDots sum = null;
            double rsiWeighted = 0;
            int r = 0;
            for (PathDots d : per.values()) {
                sum = sum == null ? d : sum.plus(d);
                GeometryStep s = d.step();
                double tol = dtype == DType.F32 ? 1e-6 : 1e-13;
                assertEquals(1, s.cos(), tol);
                assertEquals(c[r], s.rsi(), tol * c[r]);
                assertEquals(c[r], s.eb(), tol * c[r]);
                rsiWeighted += s.rsi() * d.deltaSq();
                r++;
            }
            assertEquals(total.count(), sum.count());
            double[] t = PathDotsKernelTest.components(total), s = PathDotsKernelTest.components(sum);
            for (int k = 0; k < t.length; k++) {
                assertEquals(t[k], s[k], 1e-12 * Math.max(1, Math.abs(t[k])), "dot " + k);
            }
            // The total RSI is the ‖δ_r‖²-weighted mean of the ranges' RSI.
            close(total.step().rsi(), rsiWeighted / total.deltaSq(), "weighted rsi");
        }
    }

    @Test
    void rejectsMismatchedOrStridedInputsAndBadRanges() {
        try (Scope scope = Scope.open()) {
            Tensor w = scope.zeros(DType.F32, 6), w64 = scope.zeros(DType.F64, 6), w5 = scope.zeros(DType.F32, 5);
            Tensor strided = scope.zeros(DType.F32, 12).slice(0, 0, 12, 2);
            assertThrows(IllegalArgumentException.class, () -> PathGeometry.dots(w, w64, w, null));
            assertThrows(IllegalArgumentException.class, () -> PathGeometry.dots(w, w, w5, null));
            assertThrows(IllegalArgumentException.class, () -> PathGeometry.dots(w, w, w, strided));
            assertThrows(NullPointerException.class, () -> PathGeometry.dots(w, null, w, null));
            assertThrows(IllegalArgumentException.class,
                    () -> PathGeometry.dotsByRange(w, w, w, null, List.of(new ParamRange("a", "weight", 4, 3))));
            assertThrows(IllegalArgumentException.class, () -> PathGeometry.dotsByRange(w, w, w, null,
                    List.of(new ParamRange("a", "weight", 0, 3), new ParamRange("a", "weight", 3, 3))));
            assertThrows(IllegalArgumentException.class, () -> new ParamRange("a", "weight", -1, 3));
        }
    }

    /**
     * cos(g, r) for a uniform random direction has mean 0 and E[cos²] = 1/d exactly, with
     * Var[cos²] = 2(d − 1)/(d²(d + 2)) (cos² ~ Beta(1/2, (d − 1)/2)); over M seeds both sample means are
     * within 5 standard errors (a false failure about once in 1.7 million runs each, and the seeds are fixed).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void randomBaselineCosineHasMeanZeroAndSpreadOneOverRootD(DType dtype) {
        int d = 400, m = 4000;
        try (Scope scope = Scope.open()) {
            Tensor g = scope.randn(dtype, new SplittableRandom(11), d);
            double sum = 0, sumSq = 0;
            for (int k = 0; k < m; k++) {
                double c = RandomBaseline.cosine(g, 1000 + k);
                assertTrue(Math.abs(c) <= 1);
                sum += c;
                sumSq += c * c;
            }
            double mean = sum / m, meanSq = sumSq / m;
            assertEquals(0, mean, 5 * RandomBaseline.spread(d) / Math.sqrt(m), "mean");
            double seSq = Math.sqrt(2.0 * (d - 1) / ((double) d * d * (d + 2)) / m);
            assertEquals(1.0 / d, meanSq, 5 * seSq, "E[cos²]");
            assertEquals(RandomBaseline.spread(d), Math.sqrt(meanSq), 0.1 * RandomBaseline.spread(d), "std");
            assertEquals(RandomBaseline.cosine(g, 42), RandomBaseline.cosine(g, 42), "seeded");
            assertTrue(Double.isNaN(RandomBaseline.cosine(scope.zeros(dtype, d), 1)));
        }
    }
}
