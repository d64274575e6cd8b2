package optlab.experiments.run;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.ReduceOp;

/**
 * The divergence scan over a contiguous parameter block: is every value finite? A plain loop over the segment
 * reads ~19M floats in a few milliseconds, which is why runs scan only every check_every steps (see RunConfig).
 */
public final class Finite {
    private Finite() {
    }

    /**
     * As {@link #all(Tensor)} for a tensor wherever it lies: a device tensor is summed there (row sums, then their
     * sum; one scalar read back). A non-finite value makes the sum non-finite; finite values make it finite unless a
     * row sum overflows the dtype (magnitudes near its maximum over √n: a diverged run anyway).
     */
    public static boolean all(Tensor t, Backend backend) {
        if (!t.onDevice()) {
            return all(t);
        }
        long n = t.numel();
        if (n == 0) {
            return true;
        }
        // [rows, cols] with rows a divisor of n near √n: rows threads sum a row each, then one sums the rows.
        int rows = (int) Math.max(1, Math.min(n, Math.round(Math.sqrt(n))));
        while (n % rows != 0) {
            rows--;
        }
        Tensor flat = t.reshape(rows, Math.toIntExact(n / rows));
        try (Scope scope = Scope.open()) {
            Tensor partial = backend.empty(scope, t.dtype(), rows, 1), total = backend.empty(scope, t.dtype(), 1, 1);
            backend.reduce(ReduceOp.SUM, flat, partial);
            backend.reduce(ReduceOp.SUM, partial, total);
            return Double.isFinite(backend.item(total));
        }
    }

    public static boolean all(Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("Finite.all: needs a contiguous tensor, got " + t);
        }
        MemorySegment s = t.segment();
        long from = t.offset(), to = from + t.numel();
        // An exponent field of all ones is Inf or NaN; OR-ing the test keeps the loop branch-free.
        if (t.dtype() == DType.F32) {
            int bad = 0;
            for (long i = from; i < to; i++) {
                int bits = Float.floatToRawIntBits(s.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                bad |= ((bits & 0x7f800000) == 0x7f800000) ? 1 : 0;
            }
            return bad == 0;
        }
        long bad = 0;
        for (long i = from; i < to; i++) {
            long bits = Double.doubleToRawLongBits(s.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
            bad |= ((bits & 0x7ff0000000000000L) == 0x7ff0000000000000L) ? 1 : 0;
        }
        return bad == 0;
    }
}
