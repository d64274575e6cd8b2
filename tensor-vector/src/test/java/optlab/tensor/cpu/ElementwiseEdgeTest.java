package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleBinaryOperator;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The elementwise kernels where they are easiest to get wrong: IEEE special values and overflow,
 * the far tails of the activations (relative accuracy down to the smallest normal number), the
 * accuracy of the Vector API's transcendentals against Math, in-place aliasing, PyTorch's
 * conventions (relu′(0) = 0, NaN propagation) and argument errors.
 */
class ElementwiseEdgeTest {
    private static final Backend REF = Backends.reference();
    private static final Backend CPU = new CpuBackend(2);

    /** Zeros, tiny and huge magnitudes, exp's overflow and underflow thresholds in both dtypes, ±∞ and NaN. */
    private static final double[] SPECIAL = {0.0, -0.0, 1e-30, -1e-30, 0.5, -0.5, 1, -1, 2, -3, 5, -7, 20, -20, 40,
        -40, 87, 89, -87, -104, 100, -100, 700, 710, -700, -746, 1e30, -1e30, Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
    /** SPECIAL without the huge and infinite magnitudes (NaN kept). */
    private static final double[] FINITE = java.util.Arrays.stream(SPECIAL)
            .filter(v -> Double.isNaN(v) || Math.abs(v) < 1e30).toArray();

    @AfterAll
    static void closeBackend() {
        CPU.close();
    }

    private static double minNormal(DType dtype) {
        return dtype == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    }

    @Test
    void specialValuesMatchReference() {
        int n = SPECIAL.length;
        for (DType dtype : DType.values()) {
            try (Scope scope = Scope.open()) {
                Tensor x = scope.of(dtype, SPECIAL, n);
                Tensor a = x.reshape(n, 1), b = x.reshape(1, n); // every pair, by broadcasting
                for (UnaryOp op : UnaryOp.values()) {
                    Tensor expected = scope.empty(dtype, n), out = scope.empty(dtype, n);
                    REF.unary(op, x, expected);
                    CPU.unary(op, x, out);
                    assertCloseNamed(op.toString(), expected, out, TestTensors.rtol(dtype), minNormal(dtype));
                }
                for (BinaryOp op : BinaryOp.values()) {
                    // F32 chain rules compute in F32: with huge or infinite operands an intermediate
                    // overflows or underflows (∞·0 = NaN) where the double oracle stays finite. Activation
                    // inputs and gradients of training are finite, so F32 gets the finite values here.
                    boolean finiteOnly = dtype == DType.F32 && op.name().endsWith("_BACKWARD");
                    Tensor as = finiteOnly ? scope.of(dtype, FINITE, FINITE.length, 1) : a;
                    Tensor bs = finiteOnly ? scope.of(dtype, FINITE, 1, FINITE.length) : b;
                    Tensor expected = scope.empty(dtype, as.dim(0), bs.dim(1)), out = scope.empty(dtype, as.dim(0), bs.dim(1));
                    REF.binary(op, as, bs, expected);
                    CPU.binary(op, as, bs, out);
                    assertCloseNamed(op.toString(), expected, out, TestTensors.rtol(dtype), minNormal(dtype));
                }
            }
        }
    }

    /**
     * Far negative inputs, where the activations are tiny: relative accuracy must hold down to the
     * smallest normal number (x ≥ −12 in F32, ≥ −37 in F64, where Φ(x) is still normal), and in the
     * positive tail where Φ rounds to 1.
     */
    @Test
    void activationTailsKeepRelativeAccuracy() {
        for (DType dtype : DType.values()) {
            double lo = dtype == DType.F32 ? -12 : -37;
            int n = 4001;
            try (Scope scope = Scope.open()) {
                Tensor x = scope.empty(dtype, 2, n);
                for (int i = 0; i < n; i++) {
                    x.set(lo + (-3 - lo) * i / (n - 1), 0, i);
                    x.set(3 + 37.0 * i / (n - 1), 1, i);
                }
                Tensor ones = scope.full(dtype, 1, 1);
                for (UnaryOp op : new UnaryOp[] {UnaryOp.GELU, UnaryOp.GELU_TANH, UnaryOp.SIGMOID, UnaryOp.EXP}) {
                    Tensor expected = scope.empty(dtype, 2, n), out = scope.empty(dtype, 2, n);
                    REF.unary(op, x, expected);
                    CPU.unary(op, x, out);
                    assertCloseNamed(op.toString(), expected, out, TestTensors.rtol(dtype), minNormal(dtype));
                }
                for (BinaryOp op : new BinaryOp[] {BinaryOp.GELU_BACKWARD, BinaryOp.GELU_TANH_BACKWARD}) {
                    Tensor expected = scope.empty(dtype, 2, n), out = scope.empty(dtype, 2, n);
                    REF.binary(op, x, ones, expected);
                    CPU.binary(op, x, ones, out);
                    assertCloseNamed(op.toString(), expected, out, TestTensors.rtol(dtype), minNormal(dtype));
                }
            }
        }
    }

    /**
     * The Vector API promises its transcendentals follow Math's accuracy (1 ulp from the exact
     * result), so a lane may differ from Math by at most 2 ulps; F32 lanes are compared with Math's
     * double result rounded to float.
     */
    @Test
    void vectorTranscendentalsWithinTwoUlpsOfMath() {
        int n = 20_011;
        for (DType dtype : DType.values()) {
            boolean f32 = dtype == DType.F32;
            double expLo = f32 ? -103 : -745, expHi = f32 ? 88.7 : 709.7;
            try (Scope scope = Scope.open()) {
                Tensor x = scope.empty(dtype, n), y = scope.empty(dtype, n), out = scope.empty(dtype, n);
                fillLinear(x, expLo, expHi);
                CPU.unary(UnaryOp.EXP, x, out);
                assertWithinUlps("EXP", x, null, out, (u, v) -> Math.exp(u), 2);
                fillLinear(x, f32 ? -20 : -40, f32 ? 38 : 300); // LOG over a wide exponent range: x = 10^t
                for (int i = 0; i < n; i++) {
                    x.setFlat(i, Math.pow(10, x.getFlat(i)));
                }
                CPU.unary(UnaryOp.LOG, x, out);
                assertWithinUlps("LOG", x, null, out, (u, v) -> Math.log(u), 2);
                fillLinear(x, -20, 20);
                CPU.unary(UnaryOp.TANH, x, out);
                assertWithinUlps("TANH", x, null, out, (u, v) -> Math.tanh(u), 2);
                fillLinear(x, 1e-3, 10);
                fillLinear(y, -30, 30);
                CPU.binary(BinaryOp.POW, x, y, out);
                assertWithinUlps("POW", x, y, out, Math::pow, 2);
            }
        }
    }

    private static void fillLinear(Tensor t, double lo, double hi) {
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            t.setFlat(i, lo + (hi - lo) * i / (n - 1));
        }
    }

    private static void assertWithinUlps(String op, Tensor a, Tensor b, Tensor actual, DoubleBinaryOperator exact, int ulps) {
        boolean f32 = actual.dtype() == DType.F32;
        long n = actual.numel();
        for (long i = 0; i < n; i++) {
            double u = a.getFlat(i), v = b == null ? 0 : b.getFlat(i);
            double e = exact.applyAsDouble(u, v), got = actual.getFlat(i);
            double ulp = f32 ? Math.ulp((float) e) : Math.ulp(e);
            double want = f32 ? (float) e : e;
            boolean ok = got == want || Math.abs(got - want) <= ulps * ulp || Double.isNaN(got) && Double.isNaN(want);
            if (!ok) {
                fail(op + "(" + u + (b == null ? "" : ", " + v) + ") in " + actual.dtype() + ": got " + got + ", Math gives "
                        + want + " (" + (Math.abs(got - want) / ulp) + " ulps)");
            }
        }
    }

    // ---------------------------------------------------------------- aliasing

    /** out may be exactly an input (x += y): the same view, in every layout, across the staging block. */
    @Test
    void inPlaceOnTheSameViewMatchesOutOfPlace() {
        for (DType dtype : DType.values()) {
            try (Scope scope = Scope.open()) {
                for (int[] shape : new int[][] {{1031}, {3, 17}, {17, 65}}) {
                    Tensor a = ElementwiseTest.values(scope, dtype, 1, -2, 2, shape);
                    Tensor b = ElementwiseTest.values(scope, dtype, 2, -2, 2, shape);
                    Tensor sum = scope.empty(dtype, shape), gelu = scope.empty(dtype, shape), scaled = scope.empty(dtype, shape);
                    REF.binary(BinaryOp.ADD, a, b, sum);
                    REF.unary(UnaryOp.GELU, a, gelu);
                    REF.scalar(BinaryOp.MUL, b, 3, scaled);
                    for (Layout layout : Layout.values()) {
                        Tensor av = layout.of(scope, a), bv = layout.of(scope, b);
                        CPU.binary(BinaryOp.ADD, av, b, av); // a += b
                        assertClose(sum, av, 0, 0);
                        CPU.binary(BinaryOp.ADD, a, bv, bv); // b = a + b
                        assertClose(sum, bv, 0, 0);
                        Tensor gv = layout.of(scope, a);
                        CPU.unary(UnaryOp.GELU, gv, gv);
                        assertClose(gelu, gv, TestTensors.rtol(dtype), TestTensors.rtol(dtype));
                        Tensor sv = layout.of(scope, b);
                        CPU.scalar(BinaryOp.MUL, sv, 3, sv);
                        assertClose(scaled, sv, 0, 0);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- PyTorch's conventions, by hand

    @Test
    void conventionsForZeroNanAndDivision() {
        for (DType dtype : DType.values()) {
            try (Scope scope = Scope.open()) {
                double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
                Tensor a = scope.of(dtype, new double[] {0, -0.0, nan, 2, -1, 1}, 6);
                Tensor b = scope.of(dtype, new double[] {5, 5, 5, 0, 0, nan}, 6);
                assertValues(CPU, BinaryOp.RELU_BACKWARD, a, b, scope, 0, 0, 5, 0, 0, nan);
                assertValues(CPU, BinaryOp.MAX, a, b, scope, 5, 5, nan, 2, 0, nan);
                assertValues(CPU, BinaryOp.MIN, a, b, scope, 0, -0.0, nan, 0, -1, nan);
                assertValues(CPU, BinaryOp.DIV, a, b, scope, 0, -0.0, nan, inf, -inf, nan);
                assertValues(CPU, BinaryOp.GREATER, a, b, scope, 0, 0, 0, 1, 0, 0);
                assertValues(CPU, BinaryOp.POW, scope.of(dtype, new double[] {-2, -2, 0, 0, -8, 4}, 6),
                        scope.of(dtype, new double[] {3, 0.5, 0, -1, 1.0 / 3, -0.5}, 6), scope,
                        -8, nan, 1, inf, nan, 0.5);
                // C99's (and PyTorch's) 1^y = 1 and (−1)^±∞ = 1, where Java's Math.pow says NaN
                assertValues(CPU, BinaryOp.POW, scope.of(dtype, new double[] {1, 1, -1, -1, nan, -1}, 6),
                        scope.of(dtype, new double[] {nan, inf, inf, -inf, 0, 2}, 6), scope, 1, 1, 1, 1, 1, 1);
                Tensor relu = scope.empty(dtype, 6);
                CPU.unary(UnaryOp.RELU, a, relu);
                assertArrayEquals(new double[] {0, 0, nan, 2, 0, 1}, relu);
                assertEquals(0, Double.compare(0.0, relu.getFlat(1)), "relu(-0) is +0");
            }
        }
    }

    private static void assertValues(Backend be, BinaryOp op, Tensor a, Tensor b, Scope scope, double... expected) {
        Tensor out = scope.empty(a.dtype(), a.shape());
        be.binary(op, a, b, out);
        assertArrayEquals(expected, out);
    }

    private static void assertArrayEquals(double[] expected, Tensor actual) {
        for (int i = 0; i < expected.length; i++) {
            double e = actual.dtype() == DType.F32 ? (float) expected[i] : expected[i];
            assertEquals(e, actual.getFlat(i), 0.0, "element " + i);
        }
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badShapesAndDtypesAreNamed() {
        try (Scope scope = Scope.open()) {
            Tensor a3 = scope.zeros(DType.F32, 3), b4 = scope.zeros(DType.F32, 4), out3 = scope.zeros(DType.F32, 3);
            var e = assertThrows(IllegalArgumentException.class, () -> CPU.binary(BinaryOp.ADD, a3, b4, out3));
            assertMentions(e, "binary ADD", "b", "[4]", "[3]");
            e = assertThrows(IllegalArgumentException.class, () -> CPU.unary(UnaryOp.EXP, scope.zeros(DType.F32, 2, 3), out3));
            assertMentions(e, "unary EXP", "x", "[2, 3]", "[3]");
            e = assertThrows(IllegalArgumentException.class, () -> CPU.binary(BinaryOp.MUL, a3, scope.zeros(DType.F64, 3), out3));
            assertMentions(e, "binary MUL", "mixed dtypes", "F64[3]");
            e = assertThrows(IllegalArgumentException.class, () -> CPU.where(b4, a3, a3, out3));
            assertMentions(e, "where", "mask", "[4]");
            e = assertThrows(IllegalArgumentException.class, () -> CPU.copy(b4, scope.zeros(DType.F64, 3)));
            assertMentions(e, "copy", "src", "[4]", "[3]");
            e = assertThrows(IllegalArgumentException.class, () -> CPU.clamp(a3, 0, 1, scope.zeros(DType.F64, 3)));
            assertMentions(e, "clamp", "mixed dtypes");
            e = assertThrows(IllegalArgumentException.class, () -> CPU.scalar(BinaryOp.ADD, b4, 1, out3));
            assertMentions(e, "scalar ADD", "a", "[4]");
        }
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should mention " + p);
        }
    }

    // ---------------------------------------------------------------- the loop plan

    @Test
    void contiguousAxesCollapseIntoOneRow() {
        try (Scope scope = Scope.open()) {
            Tensor c = scope.zeros(DType.F32, 4, 5, 6);
            assertEquals(1, ElementwiseLoop.of(c, c).rank());
            assertEquals(1, ElementwiseLoop.of(c, scope.zeros(DType.F32, 1)).rank(), "a broadcast scalar keeps one row");
            assertEquals(2, ElementwiseLoop.of(c, scope.zeros(DType.F32, 6)).rank(), "[6] repeats per row of 6");
            assertEquals(2, ElementwiseLoop.of(c.reshape(20, 6), scope.zeros(DType.F32, 20, 1)).rank());
            assertEquals(1, ElementwiseLoop.of(c.slice(0, 1, 3), c.slice(0, 0, 2)).rank(), "leading slices stay contiguous");
            assertEquals(2, ElementwiseLoop.of(c.slice(2, 0, 3), c.slice(2, 3, 6)).rank(), "inner slices do not");
        }
    }

    private static void assertCloseNamed(String op, Tensor expected, Tensor actual, double rtol, double atol) {
        try {
            assertClose(expected, actual, rtol, atol);
        } catch (AssertionError e) {
            throw new AssertionError(op + " in " + actual.dtype() + ": " + e.getMessage(), e);
        }
    }
}
