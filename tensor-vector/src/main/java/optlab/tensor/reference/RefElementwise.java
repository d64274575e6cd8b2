package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;
import optlab.tensor.internal.Checks;

/**
 * Elementwise ops as one plain loop over out's elements in row-major order, computing every value
 * in double: the definitions the vectorized kernels are tested against. Inputs broadcast to out
 * (NumPy rules). Each element is read before it is written, so out may be exactly the same view as
 * an input (in-place x += y); partially overlapping views are undefined.
 */
final class RefElementwise {
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    /** √(2/π), the slope of GELU_TANH's inner cubic. */
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_TANH_CUBIC = 0.044715;

    private RefElementwise() {
    }

    static void copy(Tensor src, Tensor dst) {
        Checks.broadcastsTo("copy", "src", src, dst); // dtypes may differ: setFlat rounds to dst's
        Tensor s = src.broadcastTo(dst.shape());
        long n = dst.numel();
        for (long i = 0; i < n; i++) {
            dst.setFlat(i, s.getFlat(i));
        }
    }

    static void fill(Tensor dst, double value) {
        long n = dst.numel();
        for (long i = 0; i < n; i++) {
            dst.setFlat(i, value);
        }
    }

    static void unary(UnaryOp op, Tensor x, Tensor out) {
        String name = "unary " + op;
        Checks.sameDType(name, x, out);
        Checks.broadcastsTo(name, "x", x, out);
        Tensor xs = x.broadcastTo(out.shape());
        long n = out.numel();
        for (long i = 0; i < n; i++) {
            out.setFlat(i, apply(op, xs.getFlat(i)));
        }
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String name = "binary " + op;
        Checks.sameDType(name, a, b, out);
        Checks.broadcastsTo(name, "a", a, out);
        Checks.broadcastsTo(name, "b", b, out);
        Tensor as = a.broadcastTo(out.shape()), bs = b.broadcastTo(out.shape());
        long n = out.numel();
        for (long i = 0; i < n; i++) {
            out.setFlat(i, apply(op, as.getFlat(i), bs.getFlat(i)));
        }
    }

    static void scalar(BinaryOp op, Tensor a, double s, Tensor out) {
        String name = "scalar " + op;
        Checks.sameDType(name, a, out);
        Checks.broadcastsTo(name, "a", a, out);
        double sv = round(out, s); // the scalar takes the tensors' precision, as a broadcast tensor would
        Tensor as = a.broadcastTo(out.shape());
        long n = out.numel();
        for (long i = 0; i < n; i++) {
            out.setFlat(i, apply(op, as.getFlat(i), sv));
        }
    }

    static void clamp(Tensor x, double lo, double hi, Tensor out) {
        Checks.sameDType("clamp", x, out);
        Checks.broadcastsTo("clamp", "x", x, out);
        double l = round(out, lo), h = round(out, hi);
        Tensor xs = x.broadcastTo(out.shape());
        long n = out.numel();
        for (long i = 0; i < n; i++) {
            out.setFlat(i, Math.min(Math.max(xs.getFlat(i), l), h));
        }
    }

    static void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        Checks.sameDType("where", mask, a, b, out);
        Checks.broadcastsTo("where", "mask", mask, out);
        Checks.broadcastsTo("where", "a", a, out);
        Checks.broadcastsTo("where", "b", b, out);
        int[] shape = out.shape();
        Tensor ms = mask.broadcastTo(shape), as = a.broadcastTo(shape), bs = b.broadcastTo(shape);
        long n = out.numel();
        for (long i = 0; i < n; i++) {
            out.setFlat(i, ms.getFlat(i) != 0 ? as.getFlat(i) : bs.getFlat(i)); // NaN counts as true
        }
    }

    /** The definition of each unary op. */
    static double apply(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case RELU -> x <= 0 ? 0 : x; // NaN stays NaN, as in PyTorch
            case GELU -> x * normalCdf(x);
            case GELU_TANH -> x * sigmoid(2 * geluTanhInner(x));
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
        };
    }

    /** The definition of each binary op; the *_BACKWARD ops take (activation input or output, upstream gradient). */
    static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b); // NaN wins, as in torch.maximum
            case MIN -> Math.min(a, b);
            case POW -> a == 1 || a == -1 && Double.isInfinite(b) ? 1 : Math.pow(a, b); // C99 and PyTorch; Math.pow gives NaN
            case GREATER -> a > b ? 1 : 0;
            case RELU_BACKWARD -> a <= 0 ? 0 : b; // PyTorch's threshold_backward: 0 at exactly 0
            case GELU_BACKWARD -> b * (normalCdf(a) + a * Math.exp(-0.5 * a * a) * INV_SQRT_2PI);
            case GELU_TANH_BACKWARD -> {
                double s = sigmoid(2 * geluTanhInner(a)), slope = s * (1 - s); // σ(2u) and σ′(2u)
                double du = SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_CUBIC * a * a); // u′(a); overflows for |a| > 1e154
                double term = slope == 0 ? 0 * a : 2 * a * slope * du; // σ′ = 0 ends it (0·a keeps ±∞ → NaN)
                yield b * (s + term);
            }
            case TANH_BACKWARD -> b * (1 - a * a);
            case SIGMOID_BACKWARD -> b * a * (1 - a);
        };
    }

    /** Φ(x) = ½·erfc(−x/√2): the standard normal CDF, accurate in both tails. */
    private static double normalCdf(double x) {
        return 0.5 * Erf.erfc(-x * INV_SQRT2);
    }

    /**
     * u(x) = √(2/π)·(x + 0.044715·x³). PyTorch's GELU_TANH is ½x(1 + tanh u); we use the identity
     * ½(1 + tanh u) = σ(2u), because 1 + tanh u cancels catastrophically for negative u.
     */
    private static double geluTanhInner(double x) {
        return SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x);
    }

    /** σ(x) = 1/(1 + e^−x), written as e^x/(1 + e^x) for x &lt; 0 so that tiny outputs do not flush to 0. */
    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** A scalar argument rounded to the tensors' dtype, so both backends apply the same value. */
    private static double round(Tensor like, double s) {
        return switch (like.dtype()) {
            case F32 -> (float) s;
            case F64 -> s;
        };
    }
}
