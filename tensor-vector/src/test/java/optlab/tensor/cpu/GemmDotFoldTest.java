package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * GemmDot's joint reduction of a tile's accumulators gives, for each one, bitwise the sum of
 * {@link LanesF32#sum} (whose order {@link LanesTest} ties to a scalar pairwise tree), on inputs of
 * wildly mixed magnitude where the order changes the rounding, and over enough calls that the JIT
 * compiles fold() partway: interpreted and compiled folds both match. Surefire repeats this class at
 * forced 256- and 128-bit widths, so every lane count takes its own number of steps.
 */
class GemmDotFoldTest {
    private static final int TILE = GemmDotF32.R * GemmDotF32.R;
    private static final int CALLS = 20_000;

    @Test
    void f32FoldGivesEachAccumulatorsTreeSum() {
        int l = Simd.F32.length();
        SplittableRandom r = new SplittableRandom(3);
        float[] acc = new float[3 * TILE * l], orig = new float[acc.length];
        for (int call = 0; call < CALLS; call++) {
            int at = (call % 3) * l; // tiles start at any multiple of a vector
            for (int i = 0; i < acc.length; i++) {
                orig[i] = acc[i] = (float) LanesTest.wild(r);
            }
            GemmDotF32.fold(acc, at);
            for (int t = 0; t < TILE; t++) {
                float want = LanesF32.sum(FloatVector.fromArray(Simd.F32, orig, at + t * l));
                assertEquals(want, acc[at + GemmDotF32.SUM_AT[t]], "call " + call + ", accumulator " + t);
            }
        }
    }

    @Test
    void f64FoldGivesEachAccumulatorsTreeSum() {
        int l = Simd.F64.length();
        SplittableRandom r = new SplittableRandom(5);
        double[] acc = new double[3 * TILE * l], orig = new double[acc.length];
        for (int call = 0; call < CALLS; call++) {
            int at = (call % 3) * l;
            for (int i = 0; i < acc.length; i++) {
                orig[i] = acc[i] = LanesTest.wild(r) * (1 + 1e-9 * r.nextDouble());
            }
            GemmDotF64.fold(acc, at);
            for (int t = 0; t < TILE; t++) {
                double want = LanesF64.sum(DoubleVector.fromArray(Simd.F64, orig, at + t * l));
                assertEquals(want, acc[at + GemmDotF64.SUM_AT[t]], "call " + call + ", accumulator " + t);
            }
        }
    }
}
