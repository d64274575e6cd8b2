package optlab.optim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.optim.GradClip;
import optlab.optim.OptimConfigs;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clipping kernels through {@link GradClip}: clip_grad_norm_ and clip_grad_value_ against plain
 * double loops, on awkward lengths, offset views and a block long enough to split over cores.
 * Surefire repeats this class at forced 256- and 128-bit widths.
 */
class GradKernelTest {
    static final int[] SIZES = {1, 3, 7, 9, 15, 17, 31, 33, 63, 65, 127, 4095, 4097, 10007, (1 << 17) + 4099};

    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void clipsByTotalNorm(DType dtype) {
        for (int n : SIZES) {
            try (Scope scope = Scope.open()) {
                Tensor big = scope.zeros(dtype, n + 3);
                Tensor g = big.slice(0, 2, 2 + n); // offset view of a flat block
                double[] v = OptimConfigs.uniform(n, n, -2, 2);
                OptimConfigs.fill(g, v);
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double x = g.getFlat(i);
                    sum += x * x;
                }
                double norm = Math.sqrt(sum);
                double rtol = dtype == DType.F32 ? 1e-6 : 1e-13;
                assertEquals(norm, GradClip.totalNorm(g), rtol * norm, "norm n=" + n);

                // max_norm above the norm: untouched, norm returned.
                double[] before = values(g);
                assertEquals(norm, GradClip.clipGradNorm(g, 2 * norm), rtol * norm);
                assertEquals(before.length, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(before[i], g.getFlat(i), 0, "unclipped n=" + n);
                }
                // max_norm below: scaled by max_norm/(norm + 1e-6), torch's coefficient.
                double max = norm / 3;
                double coef = max / (norm + 1e-6);
                assertEquals(norm, GradClip.clipGradNorm(g, max), rtol * norm);
                for (int i = 0; i < n; i++) {
                    assertEquals(before[i] * coef, g.getFlat(i), 2 * rtol * Math.abs(before[i]) + 1e-300, "i=" + i);
                }
                assertEquals(norm * coef, GradClip.totalNorm(g), 2 * rtol * max); // just under max_norm
                assertEquals(0, big.getFlat(0));
                assertEquals(0, big.getFlat(n + 2));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void clipsByValue(DType dtype) {
        for (int n : SIZES) {
            try (Scope scope = Scope.open()) {
                Tensor big = scope.full(dtype, 9, n + 3);
                Tensor g = big.slice(0, 1, 1 + n);
                OptimConfigs.fill(g, OptimConfigs.uniform(n + 1, n, -2, 2));
                double[] before = values(g);
                GradClip.clipGradValue(g, 0.75);
                for (int i = 0; i < n; i++) {
                    assertEquals(Math.min(Math.max(before[i], -0.75), 0.75), g.getFlat(i), 0, "i=" + i);
                }
                assertEquals(9, big.getFlat(0));
                assertEquals(9, big.getFlat(n + 1));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void smallExamplesByHand(DType dtype) {
        try (Scope scope = Scope.open()) {
            Tensor g = OptimConfigs.of(scope, dtype, 3, -4);
            assertEquals(5, GradClip.clipGradNorm(g, 1), 0); // coef = 1/(5 + 1e-6)
            assertEquals(3 / (5 + 1e-6), g.getFlat(0), dtype == DType.F32 ? 1e-7 : 1e-16);
            Tensor h = OptimConfigs.of(scope, dtype, 0.5, Double.NaN, -3);
            GradClip.clipGradValue(h, 1);
            assertEquals(0.5, h.getFlat(0));
            assertTrue(Double.isNaN(h.getFlat(1)), "NaN survives clamping, as in torch");
            assertEquals(-1, h.getFlat(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void rejectsBadInput(DType dtype) {
        try (Scope scope = Scope.open()) {
            Tensor g = scope.zeros(dtype, 4, 6);
            var e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(g.mT(), 1));
            assertTrue(e.getMessage().startsWith("totalNorm: grads must be a contiguous block"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(g, -1));
            assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(g, Double.NaN));
        }
    }

    static double[] values(Tensor t) {
        return t.toDoubleArray();
    }
}
