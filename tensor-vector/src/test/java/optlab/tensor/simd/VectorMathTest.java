package optlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * VectorMath against Math.exp/log/tanh: within 2 ulp on random points spread over every decade of
 * the range, and exact on the special values (±0, ±Inf, NaN, overflow, underflow, subnormals).
 */
class VectorMathTest {
    private static final int POINTS = 20_000;
    private static final double ULPS = 2;

    @Test
    void expF64() {
        double[] x = points(1, 0, d -> d > -750 && d < 712, -12, 3);
        checkF64("exp", x, VectorMathF64::exp, Math::exp);
        checkF64("exp", special(-745.2, -745.1, -745.13321910194122, -708.4, -708.3, 709.78, 709.79, 710, 1e4, -1e4, 1e-300, -1e-300,
                Math.log(2) / 2, -Math.log(2) / 2, 0.5, -0.5, 1, -1), VectorMathF64::exp, Math::exp);
    }

    @Test
    void expF32() {
        float[] x = toFloat(points(2, 0, d -> d > -110 && d < 90, -9, 2.1));
        checkF32("exp", x, VectorMathF32::exp, Math::exp);
        checkF32("exp", toFloat(special(-103.97, -103.9, -87.3, -87.4, 88.72, 88.73, 89, 1e4, -1e4, 1e-40, -1e-40, 0.34657, -0.34657)),
                VectorMathF32::exp, Math::exp);
    }

    @Test
    void logF64() {
        double[] x = points(3, 1, d -> true, -320, 308);
        checkF64("log", x, VectorMathF64::log, Math::log);
        double[] near1 = points(4, 1, d -> true, -16, -1);
        for (int i = 0; i < near1.length; i++) {
            near1[i] = 1 + near1[i] * (i % 2 == 0 ? 1 : -0.5);
        }
        checkF64("log", near1, VectorMathF64::log, Math::log);
        checkF64("log", special(Double.MIN_VALUE, Double.MIN_NORMAL, Double.MIN_NORMAL * 0.75, Double.MAX_VALUE, 1, 2, 0.5,
                Math.sqrt(0.5), Math.sqrt(2), Math.nextDown(1.0), Math.nextUp(1.0), -1, -Double.MIN_VALUE), VectorMathF64::log, Math::log);
    }

    @Test
    void logF32() {
        float[] x = toFloat(points(5, 1, d -> d >= Float.MIN_VALUE && d <= Float.MAX_VALUE, -45, 38.5));
        checkF32("log", x, VectorMathF32::log, Math::log);
        double[] near1 = points(6, 1, d -> true, -7, -1);
        for (int i = 0; i < near1.length; i++) {
            near1[i] = 1 + near1[i] * (i % 2 == 0 ? 1 : -0.5);
        }
        checkF32("log", toFloat(near1), VectorMathF32::log, Math::log);
        checkF32("log", new float[] {Float.MIN_VALUE, Float.MIN_NORMAL, Float.MIN_NORMAL * 0.75f, Float.MAX_VALUE, 1, 2, 0.5f,
                (float) Math.sqrt(0.5), (float) Math.sqrt(2), Math.nextDown(1f), Math.nextUp(1f), -1, -Float.MIN_VALUE},
                VectorMathF32::log, Math::log);
    }

    @Test
    void tanhF64() {
        checkF64("tanh", points(7, 0, d -> true, -12, 2), VectorMathF64::tanh, Math::tanh);
        checkF64("tanh", special(0x1p-28, 0x1.1p-28, 0.55, 1, 21.9, 22, 23, 1e300, Double.MIN_VALUE), VectorMathF64::tanh, Math::tanh);
    }

    @Test
    void tanhF32() {
        checkF32("tanh", toFloat(points(8, 0, d -> true, -7, 1.3)), VectorMathF32::tanh, Math::tanh);
        checkF32("tanh", toFloat(special(0x1p-13, 0x1.1p-13, 0.55, 1, 8.9, 9.1, 10, 11, 1e30, Float.MIN_VALUE)),
                VectorMathF32::tanh, Math::tanh);
    }

    @Test
    void specialValues() {
        double inf = Double.POSITIVE_INFINITY, nan = Double.NaN;
        double[] x = {0.0, -0.0, inf, -inf, nan};
        checkF64("exp", x, VectorMathF64::exp, Math::exp);
        checkF64("log", x, VectorMathF64::log, Math::log);
        checkF64("tanh", x, VectorMathF64::tanh, Math::tanh);
        float[] f = toFloat(x);
        checkF32("exp", f, VectorMathF32::exp, Math::exp);
        checkF32("log", f, VectorMathF32::log, Math::log);
        checkF32("tanh", f, VectorMathF32::tanh, Math::tanh);
        // The checks compare bits for these, so −0 and +0 are told apart: tanh(−0) = −0, log(±0) = −Inf.
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(apply(VectorMathF64::tanh, -0.0)));
        assertEquals(1.0, apply(VectorMathF64::exp, -0.0));
    }

    /** A lane's exp does not depend on its neighbours: a tiny lane sends the vector down the other path. */
    @Test
    void expLaneIsIndependentOfItsNeighbours() {
        SplittableRandom random = new SplittableRandom(9);
        int l = Simd.F64.length(), lf = Simd.F32.length();
        for (int rep = 0; rep < 500; rep++) {
            double[] x = new double[l];
            float[] xf = new float[lf];
            for (int k = 0; k < l; k++) {
                x[k] = random.nextDouble(-700, 700);
            }
            for (int k = 0; k < lf; k++) {
                xf[k] = (float) random.nextDouble(-85, 88);
            }
            double[] plain = VectorMathF64.exp(DoubleVector.fromArray(Simd.F64, x, 0)).toArray();
            float[] plainF = VectorMathF32.exp(FloatVector.fromArray(Simd.F32, xf, 0)).toArray();
            int k0 = rep % l, k0f = rep % lf;
            x[k0] = -740;
            xf[k0f] = -100;
            double[] mixed = VectorMathF64.exp(DoubleVector.fromArray(Simd.F64, x, 0)).toArray();
            float[] mixedF = VectorMathF32.exp(FloatVector.fromArray(Simd.F32, xf, 0)).toArray();
            for (int k = 0; k < l; k++) {
                if (k != k0) {
                    assertEquals(Double.doubleToRawLongBits(plain[k]), Double.doubleToRawLongBits(mixed[k]), "exp(" + x[k] + ")");
                }
            }
            for (int k = 0; k < lf; k++) {
                if (k != k0f) {
                    assertEquals(Float.floatToRawIntBits(plainF[k]), Float.floatToRawIntBits(mixedF[k]), "exp(" + xf[k] + ")");
                }
            }
            assertEquals(Math.exp(-740), mixed[k0], Math.ulp(Math.exp(-740)));
        }
    }

    private static double apply(UnaryOperator<DoubleVector> f, double x) {
        return f.apply(DoubleVector.broadcast(Simd.F64, x)).lane(0);
    }

    /** Mostly ±10^u with u uniform in [lo, hi] (sign only when signs == 0), plus some uniform over the span. */
    private static double[] points(long seed, int positiveOnly, java.util.function.DoublePredicate keep, double lo, double hi) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[POINTS];
        double span = Math.pow(10, hi);
        for (int i = 0; i < x.length; ) {
            double v = i % 4 == 3 ? random.nextDouble(-span, span) : Math.pow(10, random.nextDouble(lo, hi));
            if (positiveOnly == 0 && random.nextBoolean()) {
                v = -v;
            }
            if (positiveOnly == 1) {
                v = Math.abs(v);
            }
            if (keep.test(v)) {
                x[i++] = v;
            }
        }
        return x;
    }

    private static double[] special(double... values) {
        double[] x = new double[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            x[2 * i] = values[i];
            x[2 * i + 1] = -values[i];
        }
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    private static void checkF64(String name, double[] x, UnaryOperator<DoubleVector> f, DoubleUnaryOperator oracle) {
        int l = Simd.F64.length();
        double[] lanes = new double[l];
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            lanes[i % l] = x[i];
            if (i % l == l - 1 || i == x.length - 1) {
                double[] y = f.apply(DoubleVector.fromArray(Simd.F64, lanes, 0)).toArray();
                for (int k = 0; k <= i % l; k++) {
                    double xk = lanes[k];
                    double expected = oracle.applyAsDouble(xk);
                    worst = Math.max(worst, ulps(name, xk, expected, y[k], Math.ulp(expected), Double.MIN_VALUE));
                }
            }
        }
        assertTrue(worst <= ULPS, name + " F64 worst error " + worst + " ulp");
    }

    private static void checkF32(String name, float[] x, UnaryOperator<FloatVector> f, DoubleUnaryOperator oracle) {
        int l = Simd.F32.length();
        float[] lanes = new float[l];
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            lanes[i % l] = x[i];
            if (i % l == l - 1 || i == x.length - 1) {
                float[] y = f.apply(FloatVector.fromArray(Simd.F32, lanes, 0)).toArray();
                for (int k = 0; k <= i % l; k++) {
                    float expected = (float) oracle.applyAsDouble(lanes[k]);
                    worst = Math.max(worst, ulps(name, lanes[k], expected, y[k], Math.ulp(expected), Float.MIN_VALUE));
                }
            }
        }
        assertTrue(worst <= ULPS, name + " F32 worst error " + worst + " ulp");
    }

    /** Error in units of the expected value's ulp; non-finite, zero and NaN results must match exactly (sign too). */
    private static double ulps(String name, double x, double expected, double actual, double ulp, double tiniest) {
        if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0 || Double.isNaN(actual)
                || Double.isInfinite(actual)) {
            if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)
                    && !(expected == 0 && Math.abs(actual) <= ULPS * tiniest)) {
                fail(name + "(" + x + ") = " + actual + ", expected " + expected);
            }
            return 0;
        }
        double e = Math.abs(actual - expected) / ulp;
        if (e > ULPS) {
            fail(name + "(" + x + ") = " + actual + ", expected " + expected + ": " + e + " ulp");
        }
        return e;
    }
}
