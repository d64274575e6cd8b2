package optlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * VectorMath.pow against Math.pow. Integer p up to 4 are exact products (within an ulp per multiply);
 * other p go through exp(p·log a), whose relative error grows with |p·log a| (log's rounding is
 * multiplied by p and exp turns an absolute error into a relative one), so the bound is
 * (|p·ln a| + 2) ulp-units of the dtype.
 */
class VectorPowTest {
    private static final double[] P = {1, 2, 3, 4, 0.5, 1.5, 2.5, 7.25};

    @Test
    void f64MatchesMathPow() {
        SplittableRandom random = new SplittableRandom(11);
        int l = Simd.F64.length();
        for (double p : P) {
            for (int rep = 0; rep < 2000; rep++) {
                double[] a = new double[l];
                for (int k = 0; k < l; k++) {
                    a[k] = rep == 0 && k == 0 ? 0 : Math.pow(10, random.nextDouble(-30 / p, 30 / p));
                }
                double[] y = VectorMathF64.pow(DoubleVector.fromArray(Simd.F64, a, 0), p).toArray();
                for (int k = 0; k < l; k++) {
                    check(a[k], p, Math.pow(a[k], p), y[k], 0x1p-52);
                }
            }
        }
    }

    @Test
    void f32MatchesMathPow() {
        SplittableRandom random = new SplittableRandom(12);
        int l = Simd.F32.length();
        for (double p : P) {
            for (int rep = 0; rep < 2000; rep++) {
                float[] a = new float[l];
                for (int k = 0; k < l; k++) {
                    a[k] = rep == 0 && k == 0 ? 0 : (float) Math.pow(10, random.nextDouble(-15 / p, 15 / p));
                }
                float[] y = VectorMathF32.pow(FloatVector.fromArray(Simd.F32, a, 0), p).toArray();
                for (int k = 0; k < l; k++) {
                    check(a[k], p, Math.pow(a[k], p), y[k], 0x1p-23);
                }
            }
        }
    }

    private static void check(double a, double p, double expected, double actual, double eps) {
        if (expected == 0) {
            assertEquals(0.0, actual, "pow(" + a + ", " + p + ")");
            return;
        }
        double bound = (Math.abs(p * Math.log(a)) + 2) * eps;
        double rel = Math.abs(actual - expected) / expected;
        assertTrue(rel <= bound, "pow(" + a + ", " + p + ") = " + actual + ", expected " + expected + ", relative error " + rel
                + " > " + bound);
    }
}
