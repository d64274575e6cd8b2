package optlab.experiments.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;

/**
 * The memory-bound operations {@code optlab bench ops} times on x [R, C], each with the bytes it
 * must move at the least (every input read once, every output written once) and a double-precision
 * oracle to check it with. MEMCPY is the yardstick: a plain copy of x's bytes, no kernel.
 */
public enum StreamOp {
    MEMCPY("memcpy", "MemorySegment.copy of x (the yardstick)"),
    ADD("add", "a + b, same shape"),
    MUL_ROW("mul-row", "x * row, row [1, C] broadcast"),
    RELU("relu", "max(x, 0)"),
    EXP("exp", "exp(x)"),
    SUM_LAST("sum-last", "sum over the last axis, out [R, 1]"),
    SOFTMAX_LAST("softmax-last", "softmax over the last axis");

    private final String id;
    private final String description;

    StreamOp(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static StreamOp byId(String id) {
        for (StreamOp op : values()) {
            if (op.id.equals(id)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op '" + id + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(StreamOp::id).toList()));
    }

    /** Compulsory traffic in bytes: inputs read once, output written once. */
    public long bytes(int rows, int cols, DType dtype) {
        long n = (long) rows * cols;
        long elements = switch (this) {
            case MEMCPY, RELU, EXP, SOFTMAX_LAST -> 2 * n;
            case ADD -> 3 * n;
            case MUL_ROW -> 2 * n + cols;
            case SUM_LAST -> n + rows;
        };
        return elements * dtype.byteSize();
    }

    /** Inputs uniform in [-1, 1) from {@code seed}. */
    Tensor[] inputs(Scope scope, DType dtype, int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = scope.uniform(dtype, rng, -1, 1, rows, cols);
        return switch (this) {
            case ADD -> new Tensor[] {x, scope.uniform(dtype, rng, -1, 1, rows, cols)};
            case MUL_ROW -> new Tensor[] {x, scope.uniform(dtype, rng, -1, 1, 1, cols)};
            default -> new Tensor[] {x};
        };
    }

    Tensor output(Scope scope, DType dtype, int rows, int cols) {
        return this == SUM_LAST ? scope.zeros(dtype, rows, 1) : scope.zeros(dtype, rows, cols);
    }

    /** Runs the op on a backend; MEMCPY is no backend kernel and is timed by the benchmark itself. */
    void run(Backend backend, Tensor[] in, Tensor out) {
        switch (this) {
            case ADD -> backend.binary(BinaryOp.ADD, in[0], in[1], out);
            case MUL_ROW -> backend.binary(BinaryOp.MUL, in[0], in[1], out);
            case RELU -> backend.unary(UnaryOp.RELU, in[0], out);
            case EXP -> backend.unary(UnaryOp.EXP, in[0], out);
            case SUM_LAST -> backend.reduce(ReduceOp.SUM, in[0], out);
            case SOFTMAX_LAST -> backend.softmax(in[0], -1, out);
            case MEMCPY -> throw new IllegalStateException("memcpy is not a backend kernel");
        }
    }

    /**
     * Runs the op on {@code backend} and compares with a double-precision oracle, failing with the
     * first bad element. Relative tolerance 1e-5 (F32) or 1e-12 (F64), times √C where a C-term sum
     * is involved (inputs lie in [-1, 1)): a row sum may be off by that much absolutely, a softmax
     * relatively (its normalizer is such a sum). Real mistakes move elements by O(1).
     */
    void check(Backend backend, Tensor[] in, Tensor out) {
        run(backend, in, out);
        double[] expected = oracle(in);
        int rows = in[0].dim(0), cols = in[0].dim(1);
        double rtol = (out.dtype() == DType.F32 ? 1e-5 : 1e-12) * (this == SOFTMAX_LAST ? Math.sqrt(cols) : 1);
        double slack = this == SUM_LAST ? Math.sqrt(cols) : 0;
        for (int i = 0; i < expected.length; i++) {
            double got = out.getFlat(i), e = expected[i];
            if (!(Math.abs(got - e) <= rtol * (Math.abs(e) + slack))) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s on %s%s with %s: element %d is %s, expected %s (rtol %.0e)", id, out.dtype(),
                        Arrays.toString(new int[] {rows, cols}), backend.describe(), i, got, e, rtol));
            }
        }
    }

    /** The exact result in double, row-major, for x [R, C] (inputs are contiguous). */
    private double[] oracle(Tensor[] in) {
        int rows = in[0].dim(0), cols = in[0].dim(1);
        double[] x = in[0].toDoubleArray();
        double[] y = in.length > 1 ? in[1].toDoubleArray() : null;
        double[] out = new double[this == SUM_LAST ? rows : x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[base + c]);
            }
            for (int c = 0; c < cols; c++) {
                double v = x[base + c];
                switch (this) {
                    case MEMCPY -> out[base + c] = v;
                    case ADD -> out[base + c] = v + y[base + c];
                    case MUL_ROW -> out[base + c] = v * y[c];
                    case RELU -> out[base + c] = Math.max(v, 0);
                    case EXP -> out[base + c] = Math.exp(v);
                    case SUM_LAST -> sum += v;
                    case SOFTMAX_LAST -> {
                        out[base + c] = Math.exp(v - max);
                        sum += out[base + c];
                    }
                }
            }
            if (this == SUM_LAST) {
                out[r] = sum;
            } else if (this == SOFTMAX_LAST) {
                for (int c = 0; c < cols; c++) {
                    out[base + c] /= sum;
                }
            }
        }
        return out;
    }
}
