package optlab.tensor.reference;

import java.util.Arrays;
import optlab.tensor.Tensor;
import optlab.tensor.internal.Checks;
import optlab.tensor.internal.ReduceChecks;

/**
 * Softmax, log-softmax, their backward rules and the fused losses by the textbook formulas, one
 * fiber (1-D run along the axis) at a time, in double. Softmax subtracts the fiber's max first.
 */
final class RefSoftmax {
    private RefSoftmax() {
    }

    static void softmax(Tensor x, int axis, Tensor out) {
        forward("softmax", x, axis, out, false);
    }

    static void logSoftmax(Tensor x, int axis, Tensor out) {
        forward("logSoftmax", x, axis, out, true);
    }

    private static void forward(String op, Tensor x, int axis, Tensor out, boolean log) {
        Checks.sameDType(op, x, out);
        ReduceChecks.sameShapes(op, new String[] {"x", "out"}, x, out);
        int a = x.axis(axis), n = x.dim(a);
        forEachFiber(x.shape(), a, idx -> {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < n; k++) {
                idx[a] = k;
                max = Math.max(max, x.get(idx));
            }
            for (int k = 0; k < n; k++) {
                idx[a] = k;
                sum += Math.exp(x.get(idx) - max);
            }
            double lse = max + Math.log(sum);
            for (int k = 0; k < n; k++) {
                idx[a] = k;
                double v = x.get(idx) - lse;
                out.set(log ? v : Math.exp(v), idx);
            }
        });
    }

    static void softmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        backward("softmaxBackward", y, gy, axis, gx, false);
    }

    static void logSoftmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        backward("logSoftmaxBackward", y, gy, axis, gx, true);
    }

    private static void backward(String op, Tensor y, Tensor gy, int axis, Tensor gx, boolean log) {
        Checks.sameDType(op, y, gy, gx);
        ReduceChecks.sameShapes(op, new String[] {"y", "gy", "gx"}, y, gy, gx);
        int a = y.axis(axis), n = y.dim(a);
        forEachFiber(y.shape(), a, idx -> {
            double s = 0; // softmax: Σ gy·y; log-softmax: Σ gy
            for (int k = 0; k < n; k++) {
                idx[a] = k;
                s += log ? gy.get(idx) : gy.get(idx) * y.get(idx);
            }
            for (int k = 0; k < n; k++) {
                idx[a] = k;
                double yk = y.get(idx), gk = gy.get(idx);
                gx.set(log ? gk - Math.exp(yk) * s : yk * (gk - s), idx);
            }
        });
    }

    /** −mean Σ target ⊙ logSoftmax(logits); grad = (softmax − target) / N (the derivative when rows of target sum to 1). */
    static double crossEntropy(Tensor logits, Tensor target, Tensor grad) {
        ReduceChecks.crossEntropy(logits, target, grad);
        int n = logits.dim(0), c = logits.dim(1);
        boolean labels = target.rank() == 1;
        for (int i = 0; labels && i < n; i++) {
            double v = target.get(i);
            if (!(v >= 0 && v < c && v == Math.rint(v))) {
                throw new IllegalArgumentException("crossEntropy: target[" + i + "] = " + v + " is not a class index in [0, "
                        + c + ") (target " + Checks.describe(target) + ")");
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, logits.get(i, k));
            }
            for (int k = 0; k < c; k++) {
                sum += Math.exp(logits.get(i, k) - max);
            }
            double lse = max + Math.log(sum);
            for (int k = 0; k < c; k++) {
                double t = labels ? (k == (int) target.get(i) ? 1 : 0) : target.get(i, k);
                total += t * (lse - logits.get(i, k)); // −Σ t·logSoftmax
                if (grad != null) {
                    grad.set((Math.exp(logits.get(i, k) - lse) - t) / n, i, k);
                }
            }
        }
        return total / n;
    }

    static double mse(Tensor a, Tensor b, Tensor grad) {
        String op = "mse";
        Checks.sameDType(op, a, b, grad);
        ReduceChecks.sameShapes(op, new String[] {"a", "b", "grad"}, a, b, grad);
        long n = a.numel();
        double total = 0;
        for (long i = 0; i < n; i++) {
            double d = a.getFlat(i) - b.getFlat(i);
            total += d * d;
            if (grad != null) {
                grad.setFlat(i, 2 * d / n);
            }
        }
        return total / n; // NaN for no elements
    }

    /** Calls body once per fiber along {@code axis}, with the fiber's index (idx[axis] free to vary). */
    private static void forEachFiber(int[] shape, int axis, java.util.function.Consumer<int[]> body) {
        int[] outer = shape.clone();
        outer[axis] = 1;
        long fibers = 1;
        for (int s : outer) {
            fibers *= s;
        }
        int[] idx = new int[shape.length];
        for (long f = 0; f < fibers; f++) {
            long rest = f;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = (int) (rest % outer[d]);
                rest /= outer[d];
            }
            body.accept(idx);
        }
    }
}
