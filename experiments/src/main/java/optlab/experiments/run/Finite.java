package optlab.experiments.run;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * The divergence scan over a contiguous parameter block: is every value finite? A plain loop over the segment
 * reads ~19M floats in a few milliseconds, which is why runs scan only every check_every steps (see RunConfig).
 */
public final class Finite {
    private Finite() {
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
