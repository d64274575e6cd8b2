package optlab.experiments.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/** Stores 8-bit pixels into a contiguous tensor through a 256-entry table (see {@link Normalization#table}). */
final class Pixels {
    private Pixels() {
    }

    /** dst.flat[to .. to+count) = table[src[from .. from+count) & 0xff]. */
    static void store(byte[] src, int from, Tensor dst, long to, int count, double[] table) {
        MemorySegment seg = dst.segment();
        long base = dst.offset() + to;
        // One loop per dtype keeps the body branch-free; this runs over every pixel of a dataset.
        if (dst.dtype() == DType.F32) {
            for (int i = 0; i < count; i++) {
                seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, base + i, (float) table[src[from + i] & 0xff]);
            }
        } else {
            for (int i = 0; i < count; i++) {
                seg.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, base + i, table[src[from + i] & 0xff]);
            }
        }
    }
}
