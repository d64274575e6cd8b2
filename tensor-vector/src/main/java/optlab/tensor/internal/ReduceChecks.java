package optlab.tensor.internal;

import java.util.Arrays;
import optlab.tensor.Tensor;

/** Shape checks for reductions, softmax and losses, shared by the CPU and reference backends. */
public final class ReduceChecks {
    private ReduceChecks() {
    }

    /** out has x's rank and each of its axes equals x's or is 1 ("keepdim" reduction shape). */
    public static void keepdim(String op, String name, Tensor x, Tensor out) {
        int[] s = x.shape(), o = out.shape();
        boolean ok = s.length == o.length;
        for (int d = 0; ok && d < s.length; d++) {
            ok = o[d] == s[d] || o[d] == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(o) + " must have x's rank with"
                    + " each axis equal to x's or 1 (size 1 = reduced); x is " + Arrays.toString(s));
        }
    }

    /** out is x's shape with {@code axis} (already normalized) set to 1. */
    public static void alongAxis(String op, String name, Tensor x, int axis, Tensor out) {
        int[] expected = x.shape();
        expected[axis] = 1;
        if (!Arrays.equals(out.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " must have shape " + Arrays.toString(expected)
                    + " (x " + Arrays.toString(x.shape()) + " reduced along axis " + axis + "), got "
                    + Arrays.toString(out.shape()));
        }
    }

    /** Every non-null tensor has the first one's shape (no broadcasting). */
    public static void sameShapes(String op, String[] names, Tensor... ts) {
        for (int i = 1; i < ts.length; i++) {
            if (ts[i] != null && !ts[i].sameShape(ts[0])) {
                throw new IllegalArgumentException(op + ": " + names[i] + " " + Arrays.toString(ts[i].shape())
                        + " must have the shape of " + names[0] + " " + Arrays.toString(ts[0].shape())
                        + " (no broadcasting)");
            }
        }
    }

    /** logits [N, C] with N &gt; 0; target [N] labels or [N, C] probabilities; grad (nullable) [N, C]. */
    public static void crossEntropy(Tensor logits, Tensor target, Tensor grad) {
        String op = "crossEntropy";
        Checks.sameDType(op, logits, target, grad);
        Checks.rank(op, "logits", logits, 2);
        int n = logits.dim(0), c = logits.dim(1);
        boolean labels = target.rank() == 1;
        if (!(labels ? target.dim(0) == n : Arrays.equals(target.shape(), logits.shape()))) {
            throw new IllegalArgumentException(op + ": target must be [N] class indices or [N, C] probabilities for"
                    + " logits " + Arrays.toString(logits.shape()) + ", got " + Arrays.toString(target.shape()));
        }
        if (grad != null) {
            Checks.shape(op, "grad", grad, n, c);
        }
        if (n == 0) {
            throw new IllegalArgumentException(op + ": empty batch (logits " + Arrays.toString(logits.shape())
                    + "): the mean loss is undefined");
        }
    }
}
