package optlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The fixed-order lane sum: bitwise equal to a scalar pairwise tree of the same order, for inputs of
 * wildly mixed magnitude (where order changes the rounding), over enough calls that the JIT compiles
 * sum() partway through, so interpreted and compiled results are both checked. Surefire repeats this
 * class at forced 256- and 128-bit widths.
 */
class LanesTest {
    static final int CALLS = 60_000;

    /** The oracle: halve the live prefix, lane k += lane k+h, in float. */
    static float treeF32(float[] a) {
        float[] t = a.clone();
        for (int h = t.length / 2; h >= 1; h /= 2) {
            for (int k = 0; k < h; k++) {
                t[k] = t[k] + t[k + h];
            }
        }
        return t[0];
    }

    static double treeF64(double[] a) {
        double[] t = a.clone();
        for (int h = t.length / 2; h >= 1; h /= 2) {
            for (int k = 0; k < h; k++) {
                t[k] = t[k] + t[k + h];
            }
        }
        return t[0];
    }

    static double wild(SplittableRandom r) {
        return r.nextGaussian() * Math.pow(10, r.nextInt(-4, 8));
    }

    @Test
    void f32SumIsTheTreeBitwise() {
        SplittableRandom r = new SplittableRandom(7);
        float[] a = new float[Simd.F32.length()];
        int orderMatters = 0;
        for (int t = 0; t < CALLS; t++) {
            float seq = 0;
            for (int k = 0; k < a.length; k++) {
                a[k] = (float) wild(r);
                seq += a[k];
            }
            float want = treeF32(a);
            assertEquals(want, LanesF32.sum(FloatVector.fromArray(Simd.F32, a, 0)), "call " + t);
            orderMatters += seq != want ? 1 : 0;
        }
        // the check can fail: with more than two lanes, a sequential sum differs from the tree
        assertTrue(a.length <= 2 || orderMatters > CALLS / 10, "order mattered in " + orderMatters + " cases");
    }

    @Test
    void f64SumIsTheTreeBitwise() {
        SplittableRandom r = new SplittableRandom(11);
        double[] a = new double[Simd.F64.length()];
        int orderMatters = 0;
        for (int t = 0; t < CALLS; t++) {
            double seq = 0;
            for (int k = 0; k < a.length; k++) {
                a[k] = wild(r) * (1 + 1e-9 * r.nextDouble());
                seq += a[k];
            }
            double want = treeF64(a);
            assertEquals(want, LanesF64.sum(DoubleVector.fromArray(Simd.F64, a, 0)), "call " + t);
            orderMatters += seq != want ? 1 : 0;
        }
        assertTrue(a.length <= 2 || orderMatters > CALLS / 10, "order mattered in " + orderMatters + " cases");
    }

    @Test
    void specialValuesPropagateAsInTheTree() {
        float[] a = new float[Simd.F32.length()];
        double[] d = new double[Simd.F64.length()];
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MAX_VALUE};
        for (float s : specials) {
            for (int at = 0; at < a.length; at++) {
                java.util.Arrays.fill(a, -0f);
                a[at] = s;
                a[a.length - 1 - at] = s == Float.MAX_VALUE ? s : a[a.length - 1 - at];
                assertEquals(treeF32(a), LanesF32.sum(FloatVector.fromArray(Simd.F32, a, 0)), s + " at " + at);
            }
            for (int at = 0; at < d.length; at++) {
                java.util.Arrays.fill(d, -0.0);
                d[at] = s;
                assertEquals(treeF64(d), LanesF64.sum(DoubleVector.fromArray(Simd.F64, d, 0)), s + " at " + at);
            }
        }
        java.util.Arrays.fill(a, -0f);
        assertEquals(-0f, LanesF32.sum(FloatVector.fromArray(Simd.F32, a, 0))); // all −0 stays −0
    }

    /**
     * Folding 1, 2, 4, 8 or 16 vectors pairwise (then a vector with itself) from h = L/2 down to 1 leaves each one's
     * tree sum, bitwise, at foldedLane: over enough calls that fold() is compiled partway through.
     */
    @Test
    void f32FoldLeavesEachTreeSumAtItsLane() {
        SplittableRandom r = new SplittableRandom(11);
        int lanes = Simd.F32.length();
        for (int t = 0; t < CALLS / 10; t++) {
            int count = 1 << (t % 5);
            float[] acc = new float[count * lanes];
            for (int i = 0; i < acc.length; i++) {
                acc[i] = (float) wild(r);
            }
            float[] want = new float[count];
            for (int a = 0; a < count; a++) {
                want[a] = treeF32(java.util.Arrays.copyOfRange(acc, a * lanes, (a + 1) * lanes));
            }
            float[] work = acc.clone();
            int n = count;
            for (int h = lanes / 2; h >= 1; h /= 2) {
                int pairs = Math.max(1, n / 2);
                for (int i = 0; i < pairs; i++) {
                    FloatVector p = FloatVector.fromArray(Simd.F32, work, 2 * i * lanes);
                    FloatVector q = n == 1 ? p : FloatVector.fromArray(Simd.F32, work, (2 * i + 1) * lanes);
                    LanesF32.fold(p, q, h).intoArray(work, i * lanes);
                }
                n = pairs;
            }
            for (int a = 0; a < count; a++) {
                assertEquals(want[a], work[LanesF32.foldedLane(a, count)], "call " + t + ", vector " + a + " of " + count);
            }
        }
    }

    @Test
    void f64FoldLeavesEachTreeSumAtItsLane() {
        SplittableRandom r = new SplittableRandom(12);
        int lanes = Simd.F64.length();
        for (int t = 0; t < CALLS / 10; t++) {
            int count = 1 << (t % 5);
            double[] acc = new double[count * lanes];
            for (int i = 0; i < acc.length; i++) {
                acc[i] = wild(r);
            }
            double[] want = new double[count];
            for (int a = 0; a < count; a++) {
                want[a] = treeF64(java.util.Arrays.copyOfRange(acc, a * lanes, (a + 1) * lanes));
            }
            double[] work = acc.clone();
            int n = count;
            for (int h = lanes / 2; h >= 1; h /= 2) {
                int pairs = Math.max(1, n / 2);
                for (int i = 0; i < pairs; i++) {
                    DoubleVector p = DoubleVector.fromArray(Simd.F64, work, 2 * i * lanes);
                    DoubleVector q = n == 1 ? p : DoubleVector.fromArray(Simd.F64, work, (2 * i + 1) * lanes);
                    LanesF64.fold(p, q, h).intoArray(work, i * lanes);
                }
                n = pairs;
            }
            for (int a = 0; a < count; a++) {
                assertEquals(want[a], work[LanesF64.foldedLane(a, count)], "call " + t + ", vector " + a + " of " + count);
            }
        }
    }
}
