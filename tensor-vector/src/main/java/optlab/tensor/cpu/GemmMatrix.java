package optlab.tensor.cpu;

import java.lang.foreign.MemorySegment;

/**
 * One matrix operand of a GEMM as the kernels see it: element (i, j) lives at element index
 * {@code offset + i·rowStride + j·colStride} of {@code segment}. Any strides, including 0.
 */
record GemmMatrix(MemorySegment segment, long offset, long rowStride, long colStride) {

    /** The same memory read as the transpose: (i, j) ↦ (j, i). */
    GemmMatrix transposed() {
        return new GemmMatrix(segment, offset, colStride, rowStride);
    }

    /** Element index of (i, j). */
    long at(long i, long j) {
        return offset + i * rowStride + j * colStride;
    }
}
