package optlab.experiments.data;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import optlab.tensor.Tensor;

/** Copies whole rows (samples) between contiguous tensors of one dtype with bulk memory copies. */
final class Rows {
    private Rows() {
    }

    /** Checks that {@code batch} can receive rows of {@code source}: contiguous, same dtype, [B, sample...]. */
    static void checkBatch(String op, String name, Tensor source, Tensor batch, int batchSize) {
        int[] want = source.shape();
        want[0] = batchSize;
        if (!batch.isContiguous() || batch.dtype() != source.dtype() || !Arrays.equals(batch.shape(), want)) {
            throw new IllegalArgumentException(op + ": " + name + " must be a contiguous " + source.dtype()
                    + Arrays.toString(want) + " tensor, got " + batch.dtype() + Arrays.toString(batch.shape())
                    + (batch.isContiguous() ? "" : " (not contiguous)"));
        }
    }

    /** Copies {@code count} consecutive rows from row {@code from} of {@code src} to row {@code to} of {@code dst}. */
    static void copy(Tensor src, int from, Tensor dst, int to, int count) {
        long rowBytes = rowElements(src) * src.dtype().byteSize();
        MemorySegment.copy(src.segment(), byteOffset(src) + from * rowBytes,
                dst.segment(), byteOffset(dst) + to * rowBytes, count * rowBytes);
    }

    static long rowElements(Tensor t) {
        return t.dim(0) == 0 ? 0 : t.numel() / t.dim(0);
    }

    private static long byteOffset(Tensor t) {
        return t.offset() * t.dtype().byteSize();
    }
}
