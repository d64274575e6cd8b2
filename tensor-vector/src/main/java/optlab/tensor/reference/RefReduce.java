package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.internal.Checks;
import optlab.tensor.internal.ReduceChecks;

/** Reductions by one pass over x in row-major order, accumulating every output element in double. */
final class RefReduce {
    private RefReduce() {
    }

    static void reduce(ReduceOp op, Tensor x, Tensor out) {
        String name = "reduce " + op;
        Checks.sameDType(name, x, out);
        ReduceChecks.keepdim(name, "out", x, out);
        long outputs = out.numel();
        if (outputs == 0) {
            return;
        }
        long count = x.numel() / outputs;
        if (count == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
            throw new IllegalArgumentException(name + ": cannot reduce zero elements (x " + Checks.describe(x)
                    + " into out " + Checks.describe(out) + ")");
        }
        double[] acc = new double[Math.toIntExact(outputs)];
        java.util.Arrays.fill(acc, switch (op) {
            case SUM, MEAN -> 0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        });
        int[] xs = x.shape(), os = out.shape();
        int[] idx = new int[xs.length];
        for (long i = 0, n = x.numel(); i < n; i++) {
            int o = outIndex(idx, os);
            double v = x.get(idx);
            acc[o] = switch (op) {
                case SUM, MEAN -> acc[o] + v;
                case MAX -> Math.max(acc[o], v); // Math.max propagates NaN, as torch does
                case MIN -> Math.min(acc[o], v);
            };
            increment(idx, xs);
        }
        for (int o = 0; o < acc.length; o++) {
            out.setFlat(o, op == ReduceOp.MEAN ? acc[o] / count : acc[o]);
        }
    }

    static void argmax(Tensor x, int axis, Tensor out) {
        String name = "argmax";
        Checks.sameDType(name, x, out);
        int a = x.axis(axis);
        ReduceChecks.alongAxis(name, "out", x, a, out);
        int len = x.dim(a);
        if (len == 0 && out.numel() > 0) {
            throw new IllegalArgumentException(name + ": axis " + a + " of x " + Checks.describe(x) + " is empty");
        }
        int[] os = out.shape();
        int[] idx = new int[os.length];
        for (long o = 0, n = out.numel(); o < n; o++) {
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < len; k++) {
                idx[a] = k;
                double v = x.get(idx);
                if (Double.isNaN(v)) { // NaN counts as the maximum (torch): the first NaN wins
                    best = k;
                    break;
                }
                if (k == 0 || v > bestValue) {
                    best = k;
                    bestValue = v;
                }
            }
            idx[a] = 0;
            out.set(best, idx);
            increment(idx, os);
        }
    }

    static void moments(Tensor x, Tensor mean, Tensor var, int correction) {
        String name = "moments";
        Checks.sameDType(name, x, mean, var);
        ReduceChecks.keepdim(name, "mean", x, mean);
        ReduceChecks.sameShapes(name, new String[] {"mean", "var"}, mean, var);
        if (correction < 0) {
            throw new IllegalArgumentException(name + ": correction must be >= 0, got " + correction);
        }
        long outputs = mean.numel();
        if (outputs == 0) {
            return;
        }
        long count = x.numel() / outputs;
        int[] xs = x.shape(), os = mean.shape();
        double[] sum = new double[Math.toIntExact(outputs)];
        double[] sq = new double[sum.length];
        int[] idx = new int[xs.length];
        for (long i = 0, n = x.numel(); i < n; i++) {
            sum[outIndex(idx, os)] += x.get(idx);
            increment(idx, xs);
        }
        for (int o = 0; o < sum.length; o++) {
            sum[o] /= count; // the mean, in double: the second pass centres on it
        }
        java.util.Arrays.fill(idx, 0);
        for (long i = 0, n = x.numel(); i < n; i++) {
            int o = outIndex(idx, os);
            double d = x.get(idx) - sum[o];
            sq[o] += d * d;
            increment(idx, xs);
        }
        double divisor = Math.max(0, count - correction);
        for (int o = 0; o < sum.length; o++) {
            mean.setFlat(o, sum[o]);
            var.setFlat(o, sq[o] / divisor);
        }
    }

    /** Row-major flat index into a keepdim output of the x multi-index {@code idx}. */
    private static int outIndex(int[] idx, int[] outShape) {
        long o = 0;
        for (int d = 0; d < idx.length; d++) {
            o = o * outShape[d] + (outShape[d] == 1 ? 0 : idx[d]);
        }
        return (int) o;
    }

    /** Advances a row-major multi-index over {@code shape}. */
    private static void increment(int[] idx, int[] shape) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
