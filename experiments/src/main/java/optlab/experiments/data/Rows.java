package optlab.experiments.data;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/** Copies whole rows (samples) between contiguous tensors of one dtype with bulk memory copies. */
final class Rows {
    private Rows() {
    }

    /** Checks that {@code batch} can receive rows of {@code source}: contiguous, same dtype, [B, sample...]. */
    static void checkBatch(String op, String name, Tensor source, Tensor batch, int batchSize) {
        checkBatch(op, name, source.dtype(), Arrays.copyOfRange(source.shape(), 1, source.rank()), batch, batchSize);
    }

    /** Checks that {@code batch} is a contiguous [B, row...] tensor of {@code dtype}. */
    static void checkBatch(String op, String name, DType dtype, int[] row, Tensor batch, int batchSize) {
        int[] want = new int[row.length + 1];
        want[0] = batchSize;
        System.arraycopy(row, 0, want, 1, row.length);
        if (!batch.isContiguous() || batch.dtype() != dtype || !Arrays.equals(batch.shape(), want)) {
            throw new IllegalArgumentException(op + ": " + name + " must be a contiguous " + dtype
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
