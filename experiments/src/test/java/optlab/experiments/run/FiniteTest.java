package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The divergence scan: any NaN or ±Inf anywhere (first, middle, last) is found; extreme finite values are not. */
class FiniteTest {
    @ParameterizedTest
    @EnumSource(DType.class)
    void findsEveryNonFiniteValue(DType dtype) {
        try (Scope s = Scope.open()) {
            for (int n : new int[] {0, 1, 3, 17, 33, 127, 1009}) {
                Tensor t = s.full(dtype, 1.5, n + 2).slice(0, 1, n + 1); // an offset view inside a larger block
                assertTrue(Finite.all(t), "n " + n);
                for (int at : new int[] {0, n / 2, n - 1}) {
                    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                        if (n == 0) {
                            continue;
                        }
                        t.setFlat(at, bad);
                        assertFalse(Finite.all(t), dtype + " n " + n + " " + bad + " at " + at);
                        t.setFlat(at, 1.5);
                    }
                }
                double max = dtype == DType.F32 ? Float.MAX_VALUE : Double.MAX_VALUE;
                double tiny = dtype == DType.F32 ? Float.MIN_VALUE : Double.MIN_VALUE;
                if (n > 1) {
                    t.setFlat(0, -max);
                    t.setFlat(n - 1, tiny);
                    assertTrue(Finite.all(t), "extreme finite values, n " + n);
                }
                // Values just outside the view do not count.
                Tensor whole = s.full(dtype, Double.NaN, n + 2);
                whole.slice(0, 1, n + 1).copyFrom(t);
                assertTrue(Finite.all(whole.slice(0, 1, n + 1)), "n " + n);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rejectsStridedViews(DType dtype) {
        try (Scope s = Scope.open()) {
            Tensor strided = s.zeros(dtype, 4, 4).transpose(0, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Finite.all(strided));
            assertTrue(e.getMessage().contains("contiguous"), e.getMessage());
        }
    }
}
