package optlab.tensor.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * The reference definitions against independently known values: erf/erfc and the activations at
 * points computed with mpmath at 40 digits (mp.erfc, x·mp.ncdf(x), the tanh formula and mp.diff
 * for its derivative), plus hand-checkable clamp, where, pow and broadcasting.
 */
class RefElementwiseTest {

    @Test
    void erfAndErfcMatchMpmath() {
        double[][] erfc = {{0.1, 0.88753708398171511}, {0.5, 0.47950012218695346}, {1, 0.15729920705028513},
            {1.9, 0.0072095707647425301}, {2, 0.0046777349810472658}, {2.1, 0.0029794666563329855},
            {3, 2.2090496998585441e-5}, {5, 1.5374597944280349e-12}, {10, 2.0884875837625448e-45},
            {26, 5.6631924088561428e-296}};
        for (double[] p : erfc) {
            assertRelative(p[1], Erf.erfc(p[0]), 2e-14, "erfc(" + p[0] + ")");
            assertRelative(2 - p[1], Erf.erfc(-p[0]), 1e-15, "erfc(" + -p[0] + ")");
        }
        assertRelative(0.11246291601828489, Erf.erf(0.1), 1e-15, "erf(0.1)");
        assertRelative(-0.11246291601828489, Erf.erf(-0.1), 1e-15, "erf(-0.1)");
        assertEquals(0, Erf.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
    }

    @Test
    void activationsMatchMpmath() {
        assertRelative(0.84134474606854295, RefElementwise.apply(UnaryOp.GELU, 1), 1e-15, "gelu(1)");
        assertRelative(-0.0040496940948902836, RefElementwise.apply(UnaryOp.GELU, -3), 1e-14, "gelu(-3)");
        assertRelative(-7.6198530241605261e-23, RefElementwise.apply(UnaryOp.GELU, -10), 1e-13, "gelu(-10)");
        assertRelative(0.8411919906082767, RefElementwise.apply(UnaryOp.GELU_TANH, 1), 1e-15, "gelu_tanh(1)");
        assertRelative(-0.0036373920817730188, RefElementwise.apply(UnaryOp.GELU_TANH, -3), 1e-14, "gelu_tanh(-3)");
        assertRelative(0.88079707797788244, RefElementwise.apply(UnaryOp.SIGMOID, 2), 1e-15, "sigmoid(2)");
        assertRelative(4.248354255291589e-18, RefElementwise.apply(UnaryOp.SIGMOID, -40), 1e-15, "sigmoid(-40)");
        // Chain rules with upstream gradient 2: twice the derivative.
        assertRelative(2 * 1.0833154705876863, RefElementwise.apply(BinaryOp.GELU_BACKWARD, 1, 2), 1e-15, "gelu'(1)");
        assertRelative(2 * -0.085231801078196897, RefElementwise.apply(BinaryOp.GELU_BACKWARD, -2, 2), 1e-14, "gelu'(-2)");
        assertRelative(2 * 1.0829640838457826, RefElementwise.apply(BinaryOp.GELU_TANH_BACKWARD, 1, 2), 1e-14, "gelu_tanh'(1)");
        assertRelative(2 * -0.011584166630969726, RefElementwise.apply(BinaryOp.GELU_TANH_BACKWARD, -3, 2), 1e-13,
                "gelu_tanh'(-3)");
        double y = Math.tanh(0.3), s = 1 / (1 + Math.exp(-0.3));
        assertEquals(2 * (1 - y * y), RefElementwise.apply(BinaryOp.TANH_BACKWARD, y, 2), 1e-16);
        assertEquals(2 * s * (1 - s), RefElementwise.apply(BinaryOp.SIGMOID_BACKWARD, s, 2), 1e-16);
        assertEquals(0, RefElementwise.apply(BinaryOp.RELU_BACKWARD, 0, 5), "relu'(0) = 0, as PyTorch");
        assertEquals(5, RefElementwise.apply(BinaryOp.RELU_BACKWARD, 1e-300, 5));
        assertTrue(Double.isNaN(RefElementwise.apply(UnaryOp.RELU, Double.NaN)));
    }

    @Test
    void clampWherePowAndBroadcasting() {
        ReferenceBackend ref = new ReferenceBackend();
        try (Scope scope = Scope.open()) {
            Tensor x = scope.of(DType.F64, new double[] {-2, 0.5, 3, Double.NaN}, 4);
            Tensor out = scope.empty(DType.F64, 4);
            ref.clamp(x, -1, 1, out);
            assertArray(out, -1, 0.5, 1, Double.NaN);

            Tensor mask = scope.of(DType.F64, new double[] {1, 0}, 2, 1); // [2,1] picks per row
            Tensor a = scope.of(DType.F64, new double[] {1, 2, 3}, 3), b = scope.scalar(DType.F64, -1);
            Tensor w = scope.empty(DType.F64, 2, 3);
            ref.where(mask, a, b, w);
            assertArray(w, 1, 2, 3, -1, -1, -1);

            Tensor base = scope.of(DType.F64, new double[] {2, -2, 9}, 3);
            Tensor p = scope.empty(DType.F64, 3);
            ref.scalar(BinaryOp.POW, base, 2, p);
            assertArray(p, 4, 4, 81);
            ref.binary(BinaryOp.POW, base, scope.of(DType.F64, new double[] {3, 3, 0.5}, 3), p);
            assertArray(p, 8, -8, 3);

            Tensor col = scope.of(DType.F64, new double[] {10, 20}, 2, 1), row = scope.of(DType.F64, new double[] {1, 2, 3}, 1, 3);
            Tensor sum = scope.empty(DType.F64, 2, 3);
            ref.binary(BinaryOp.ADD, col, row, sum); // [2,1] + [1,3] -> [2,3]
            assertArray(sum, 11, 12, 13, 21, 22, 23);
            ref.binary(BinaryOp.SUB, sum, sum, sum); // in place on the same view
            assertArray(sum, 0, 0, 0, 0, 0, 0);

            var e = assertThrows(IllegalArgumentException.class, () -> ref.binary(BinaryOp.ADD, a, scope.zeros(DType.F64, 2), a));
            assertTrue(e.getMessage().contains("binary ADD") && e.getMessage().contains("[2]"), e.getMessage());
        }
    }

    private static void assertRelative(double expected, double actual, double rtol, String what) {
        assertTrue(Math.abs(actual - expected) <= rtol * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (rtol " + rtol + ")");
    }

    private static void assertArray(Tensor t, double... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], t.getFlat(i), 1e-15, "element " + i);
        }
    }
}
