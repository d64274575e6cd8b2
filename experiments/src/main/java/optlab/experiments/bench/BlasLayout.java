package optlab.experiments.bench;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * How a 2-D view is stored in BLAS terms: row-major with leading dimension {@code ld}, or the
 * transpose of a row-major matrix (CblasTrans). Strides of size-1 axes carry no information, so
 * such axes accept any stride. Broadcast (stride 0) and doubly strided views have no BLAS layout.
 */
record BlasLayout(boolean transposed, int ld) {

    static BlasLayout of(String op, String name, Tensor t) {
        int rows = t.dim(0), cols = t.dim(1);
        long rs = t.stride(0), cs = t.stride(1);
        if ((cs == 1 || cols <= 1) && (rows <= 1 || rs >= Math.max(1, cols))) {
            return new BlasLayout(false, leading(op, name, rows <= 1 ? Math.max(1, cols) : rs));
        }
        if ((rs == 1 || rows <= 1) && (cols <= 1 || cs >= Math.max(1, rows))) {
            return new BlasLayout(true, leading(op, name, cols <= 1 ? Math.max(1, rows) : cs));
        }
        throw new IllegalArgumentException(op + ": " + name + " has no BLAS layout (needs a unit stride on one axis): shape "
                + Arrays.toString(t.shape()) + ", strides " + Arrays.toString(t.strides()));
    }

    private static int leading(String op, String name, long ld) {
        if (ld > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + name + " has leading dimension " + ld + ", beyond 32-bit BLAS");
        }
        return (int) ld;
    }
}
