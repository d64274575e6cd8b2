package optlab.experiments.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The images of a dataset kept as their 8-bit pixels off-heap, [N, C, H, W] bytes: a quarter of the memory of
 * F32 (60,000 Fashion-MNIST images: 47 MB instead of 188 MB), as PyTorch keeps them. Rows become numbers
 * through per-channel 256-entry tables ({@link Normalization#table}) only when they are copied into a batch
 * ({@link #decode}), which gives exactly the values a decoded copy of the whole set would hold.
 * {@link #decoded} makes that whole copy, once, for code that wants the features as one tensor.
 */
final class Pixels {
    private final MemorySegment bytes;
    private final int[] shape;
    private final DType dtype;
    private final float[][] f32;
    private final double[][] f64;
    private final Scope scope;
    private Tensor decoded;

    /**
     * Uninitialized pixels of {@code shape} [N, C, ...] in memory of {@code scope}, read through {@code norm}; fill
     * them through {@link #bytes()} before use.
     */
    static Pixels allocate(int[] shape, DType dtype, Normalization norm, String source, Scope scope) {
        if (shape.length < 2) {
            throw new IllegalArgumentException(source + ": pixel shape " + Arrays.toString(shape) + " needs [N, C, ...]");
        }
        double[][] tables = new double[shape[1]][];
        for (int c = 0; c < tables.length; c++) {
            tables[c] = norm.table(c, tables.length, source);
        }
        return new Pixels(shape, dtype, tables, scope);
    }

    private Pixels(int[] shape, DType dtype, double[][] tables, Scope scope) {
        this.shape = shape.clone();
        this.dtype = dtype;
        this.scope = scope;
        f64 = tables;
        f32 = new float[tables.length][256];
        for (int c = 0; c < tables.length; c++) {
            for (int p = 0; p < 256; p++) {
                f32[c][p] = (float) tables[c][p];
            }
        }
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        // A Scope hands out numeric tensors only: borrow the bytes as a float tensor of a quarter the length,
        // so they live and die with the scope like every other dataset tensor.
        bytes = scope.empty(DType.F32, Math.toIntExact(Math.max(1, (n + 3) / 4))).segment().asSlice(0, n);
    }

    /** The raw bytes, [N, C, ...] row-major, to fill while loading. */
    MemorySegment bytes() {
        return bytes;
    }

    int size() {
        return shape[0];
    }

    int[] shape() {
        return shape.clone();
    }

    DType dtype() {
        return dtype;
    }

    long sampleBytes() {
        long n = 1;
        for (int d = 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return n;
    }

    /** dst rows [to, to + count) = decoded rows [from, from + count); dst is contiguous [B, C, ...] of the dtype. */
    void decode(long from, int count, Tensor dst, long to) {
        long sample = sampleBytes();
        long plane = sample / shape[1];
        MemorySegment out = dst.segment();
        long at = dst.offset() + to * sample;
        long src = from * sample;
        for (int r = 0; r < count; r++) {
            for (int c = 0; c < shape[1]; c++) {
                // One loop per dtype keeps the body branch-free.
                if (dtype == DType.F32) {
                    float[] t = f32[c];
                    for (long p = 0; p < plane; p++) {
                        out.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, at + p, t[bytes.get(ValueLayout.JAVA_BYTE, src + p) & 0xff]);
                    }
                } else {
                    double[] t = f64[c];
                    for (long p = 0; p < plane; p++) {
                        out.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, at + p, t[bytes.get(ValueLayout.JAVA_BYTE, src + p) & 0xff]);
                    }
                }
                at += plane;
                src += plane;
            }
        }
    }

    /** The whole set as numbers [N, C, ...], decoded on the first call into the loading scope and kept. */
    synchronized Tensor decoded() {
        if (decoded == null) {
            Tensor t = scope.empty(dtype, shape);
            decode(0, shape[0], t, 0);
            decoded = t;
        }
        return decoded;
    }

    /** Whether {@link #decoded} has made the whole numeric copy (tests: batch loops must not). */
    synchronized boolean isDecoded() {
        return decoded != null;
    }

    /** The given rows (in that order) as a new pixel set in {@code into}. */
    Pixels gather(int[] rows, Scope into) {
        int[] s = shape.clone();
        s[0] = rows.length;
        Pixels g = new Pixels(s, dtype, f64, into);
        long sample = sampleBytes();
        for (int i = 0; i < rows.length; i++) {
            MemorySegment.copy(bytes, rows[i] * sample, g.bytes, i * sample, sample);
        }
        return g;
    }

    @Override
    public String toString() {
        return "8-bit pixels " + Arrays.toString(shape) + " read as " + dtype;
    }
}
