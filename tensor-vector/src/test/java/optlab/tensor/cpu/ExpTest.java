package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The lane-wise exp against Math.exp: random arguments over the whole finite range, the edges where
 * the result overflows, goes subnormal or underflows, and ±0, ±∞, NaN. Surefire repeats this class at
 * forced 256- and 128-bit widths.
 */
class ExpTest {
    static final double[] EDGES = {0.0, -0.0, 1e-300, -1e-300, 1e-8, -1e-8, 0.5, 1, -1, Math.log(2) / 2, 10, -10, 50,
        -50, 80, -80, 88.5, 88.7, 88.72, 88.73, 89, 90, -87, -87.4, -88, -100, -103, -103.3, -103.9, -104, -105, -110,
        700, 709, 709.78, 709.79, 710, 711, -700, -708, -708.4, -709, -720, -740, -745, -745.1, -745.2, -746, -800,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MAX_VALUE, -Double.MAX_VALUE};

    @Test
    void f64IsWithinTwoUlpsOfMathExp() {
        int l = Simd.F64.length();
        double[] x = new double[l], y = new double[l];
        SplittableRandom r = new SplittableRandom(3);
        double worst = 0;
        for (int t = 0; t < 15_000 + EDGES.length; t++) {
            for (int k = 0; k < l; k++) {
                x[k] = t < EDGES.length ? EDGES[(t + k) % EDGES.length] : r.nextDouble(-760, 720) * (r.nextInt(4) == 0 ? 1e-3 : 1);
            }
            ExpF64.exp(DoubleVector.fromArray(Simd.F64, x, 0)).intoArray(y, 0);
            for (int k = 0; k < l; k++) {
                double want = Math.exp(x[k]);
                if (Double.isNaN(want) || Double.isInfinite(want) || want == 0) {
                    assertEquals(want, y[k], "exp(" + x[k] + ")");
                } else {
                    // subnormal results carry fewer bits: compare in units of the smallest normal's ulp there
                    double ulps = Math.abs(y[k] - want) / Math.ulp(Math.max(want, Double.MIN_NORMAL));
                    worst = Math.max(worst, ulps);
                    assertTrue(ulps <= 2, "exp(" + x[k] + ") = " + y[k] + ", Math.exp " + want + ": " + ulps + " ulps");
                }
            }
        }
        assertTrue(worst > 0, "a polynomial that never differs from Math.exp is suspicious");
    }

    @Test
    void f32IsWithinTwoUlpsOfTheRoundedExp() {
        int l = Simd.F32.length();
        float[] x = new float[l], y = new float[l];
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 15_000 + EDGES.length; t++) {
            for (int k = 0; k < l; k++) {
                x[k] = (float) (t < EDGES.length ? EDGES[(t + k) % EDGES.length] : r.nextDouble(-110, 92) * (r.nextInt(4) == 0 ? 1e-3 : 1));
            }
            ExpF32.exp(FloatVector.fromArray(Simd.F32, x, 0)).intoArray(y, 0);
            for (int k = 0; k < l; k++) {
                float want = (float) Math.exp(x[k]);
                if (Float.isNaN(want) || Float.isInfinite(want) || want == 0) {
                    // at the overflow and underflow edges the last bit may fall either way
                    boolean edge = Math.abs(Math.exp(x[k]) / Float.MAX_VALUE - 1) < 1e-6 || Math.exp(x[k]) < 2 * Float.MIN_VALUE;
                    assertTrue(edge ? Math.abs(y[k] - want) <= Float.MIN_VALUE || y[k] == want : Float.compare(want, y[k]) == 0,
                            "exp(" + x[k] + ") = " + y[k] + ", want " + want);
                } else {
                    float ulps = Math.abs(y[k] - want) / Math.ulp(Math.max(want, Float.MIN_NORMAL));
                    assertTrue(ulps <= 2, "exp(" + x[k] + ") = " + y[k] + ", want " + want + ": " + ulps + " ulps");
                }
            }
        }
    }
}
