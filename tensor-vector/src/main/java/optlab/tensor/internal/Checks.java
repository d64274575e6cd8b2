package optlab.tensor.internal;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/** Argument checks shared by all backends; each message names the operation, argument and shapes. */
public final class Checks {
    private Checks() {
    }

    /** All non-null tensors share one dtype; returns it. */
    public static DType sameDType(String op, Tensor... ts) {
        DType d = null;
        for (Tensor t : ts) {
            if (t == null) {
                continue;
            }
            if (d == null) {
                d = t.dtype();
            } else if (t.dtype() != d) {
                throw new IllegalArgumentException(op + ": mixed dtypes " + describe(ts));
            }
        }
        return d;
    }

    public static void rank(String op, String name, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + name + " must have rank " + rank + ", got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    public static void shape(String op, String name, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " must have shape " + Arrays.toString(expected)
                    + ", got " + Arrays.toString(t.shape()));
        }
    }

    /** {@code x} broadcasts to {@code out}'s shape. */
    public static void broadcastsTo(String op, String name, Tensor x, Tensor out) {
        int[] s = x.shape(), o = out.shape();
        boolean ok = s.length <= o.length;
        for (int i = 0; ok && i < s.length; i++) {
            int a = s[s.length - 1 - i], b = o[o.length - 1 - i];
            ok = a == b || a == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(s)
                    + " does not broadcast to output shape " + Arrays.toString(o));
        }
    }

    public static String describe(Tensor... ts) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : ts) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(t == null ? "null" : t.dtype() + Arrays.toString(t.shape()));
        }
        return sb.toString();
    }
}
