package optlab.tensor;

/**
 * Class labels, what PyTorch keeps in a {@code torch.long} tensor: integers in [0, classes), made from and read back
 * as Java integers and checked there, stored as the [N] tensor of class indices in the model's dtype that
 * cross-entropy and accuracy read. F32 holds every index below 2^24 exactly, so nothing is lost.
 *
 * <p>Why not an integer dtype: every kernel, template and {@code dtype == F32 ? … : …} branch would gain a case that
 * only labels use, and an I32 tensor passed to GEMM or an elementwise op would need its own error everywhere. Labels
 * are integral where a user writes or reads them, here, and the loss checks them again per batch.
 */
public final class Labels {
    /** The largest class count whose indices F32 represents exactly (2^24). */
    public static final int MAX_F32_CLASSES = 1 << 24;

    private Labels() {
    }

    /**
     * A [n] label tensor of {@code dtype} in {@code scope} holding {@code indices}.
     *
     * @throws IllegalArgumentException naming the first index outside [0, classes), or a class count {@code dtype}
     *     cannot hold exactly
     */
    public static Tensor of(Scope scope, DType dtype, int classes, int... indices) {
        long[] wide = new long[indices.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = indices[i];
        }
        return of(scope, dtype, classes, wide);
    }

    /** {@link #of(Scope, DType, int, int...)} for {@code long} indices (torch.long's element type). */
    public static Tensor of(Scope scope, DType dtype, int classes, long[] indices) {
        checkClasses(dtype, classes);
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= classes) {
                throw new IllegalArgumentException("labels: label[" + i + "] = " + indices[i] + " is outside [0, "
                        + classes + ")");
            }
        }
        Tensor t = scope.empty(dtype, indices.length);
        for (int i = 0; i < indices.length; i++) {
            dtype.set(t.segment(), i, indices[i]);
        }
        return t;
    }

    /**
     * The labels of a [n] tensor as integers.
     *
     * @throws IllegalArgumentException when {@code labels} is not [n], or naming the first entry that is not an
     *     integer in [0, classes)
     */
    public static int[] toArray(Tensor labels, int classes) {
        check(labels, classes, "labels");
        int[] out = new int[labels.dim(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) labels.get(i);
        }
        return out;
    }

    /**
     * Checks that {@code labels} is a [n] tensor of integers in [0, classes); {@code what} names it in the error
     * (a data set, a file).
     */
    public static void check(Tensor labels, int classes, String what) {
        checkClasses(labels.dtype(), classes);
        if (labels.rank() != 1) {
            throw new IllegalArgumentException(what + ": labels must be a [N] tensor of class indices, got shape "
                    + java.util.Arrays.toString(labels.shape()));
        }
        for (int i = 0, n = labels.dim(0); i < n; i++) {
            double v = labels.get(i);
            if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                throw new IllegalArgumentException(what + ": label[" + i + "] = " + v + " is not a class index in [0, "
                        + classes + ")");
            }
        }
    }

    private static void checkClasses(DType dtype, int classes) {
        if (classes < 1 || (dtype == DType.F32 && classes > MAX_F32_CLASSES)) {
            throw new IllegalArgumentException("labels: " + classes + " classes: need 1 to "
                    + (dtype == DType.F32 ? MAX_F32_CLASSES + " in F32 (exact integers)" : Integer.MAX_VALUE));
        }
    }
}
