package optlab.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A strided view of off-heap numbers: dtype, shape, strides and an element offset into a
 * {@link MemorySegment} owned by a {@link Scope} (host memory) or by a device backend (device memory,
 * {@link #onDevice()}). Views (reshape, transpose, slice, broadcast) share memory and placement; nothing
 * here copies. Strides and offset count elements, not bytes; a stride of 0 repeats. Host code reads only
 * host tensors: the element accessors and {@link #segment()} refuse a device tensor with a message instead
 * of dereferencing an address the host cannot map.
 */
public final class Tensor {
    private final MemorySegment segment;
    private final DType dtype;
    private final long offset;
    private final int[] shape;
    private final long[] strides;
    private final boolean device;

    Tensor(MemorySegment segment, DType dtype, long offset, int[] shape, long[] strides) {
        this(segment, dtype, offset, shape, strides, false);
    }

    private Tensor(MemorySegment segment, DType dtype, long offset, int[] shape, long[] strides, boolean device) {
        this.segment = segment;
        this.dtype = dtype;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.device = device;
    }

    /** A view over the same memory and placement with another offset, shape and strides. */
    private Tensor view(long offset, int[] shape, long[] strides) {
        return new Tensor(segment, dtype, offset, shape, strides, device);
    }

    /** Wraps existing memory as a contiguous tensor; the caller keeps the memory alive. */
    public static Tensor wrap(MemorySegment segment, DType dtype, int... shape) {
        Shapes.check(shape);
        long need = Shapes.numel(shape) * dtype.byteSize();
        if (segment.byteSize() < need) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for "
                    + dtype + Arrays.toString(shape) + " (" + need + " bytes)");
        }
        return new Tensor(segment, dtype, 0, shape.clone(), Shapes.contiguousStrides(shape));
    }

    /**
     * Wraps device memory (an address range the host must not read, sized in bytes) as a contiguous
     * tensor; for device backends, which own that memory and free it.
     */
    public static Tensor wrapDevice(MemorySegment deviceMemory, DType dtype, int... shape) {
        Tensor t = wrap(deviceMemory, dtype, shape);
        return new Tensor(t.segment, dtype, 0, t.shape, t.strides, true);
    }

    /** True when the data lives in device memory ({@link #deviceMemory()}), false for host memory. */
    public boolean onDevice() {
        return device;
    }

    /** The host memory under this view; a device tensor has none the host may read. */
    public MemorySegment segment() {
        if (device) {
            throw deviceTensor("segment()");
        }
        return segment;
    }

    /** The device address range under this view (for device backends); a host tensor has none. */
    public MemorySegment deviceMemory() {
        if (!device) {
            throw new IllegalStateException(this + " lives in host memory, not on a device");
        }
        return segment;
    }

    private IllegalStateException deviceTensor(String what) {
        return new IllegalStateException(what + ": " + this + " lives in device memory; copy it into a host"
                + " tensor first (Backend.toHost)");
    }

    /** The host segment for the element accessors below. */
    private MemorySegment host() {
        if (device) {
            throw deviceTensor("element access");
        }
        return segment;
    }

    public DType dtype() {
        return dtype;
    }

    /** Offset of element [0, 0, ...] in elements from the start of {@link #segment()}. */
    public long offset() {
        return offset;
    }

    public int rank() {
        return shape.length;
    }

    public int[] shape() {
        return shape.clone();
    }

    public long[] strides() {
        return strides.clone();
    }

    /** Size of dimension {@code d}; negative {@code d} counts from the end. */
    public int dim(int d) {
        return shape[axis(d)];
    }

    public long stride(int d) {
        return strides[axis(d)];
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    /** Normalizes a possibly negative axis, naming the tensor's shape when it is out of range. */
    public int axis(int d) {
        int a = d < 0 ? d + shape.length : d;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis " + d + " out of range for shape " + Arrays.toString(shape));
        }
        return a;
    }

    /** True when elements are laid out densely in row-major order (any offset). */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    // ---------------------------------------------------------------- views

    /** A view with a new shape (one entry may be -1); the tensor must be contiguous. */
    public Tensor reshape(int... newShape) {
        int[] s = Shapes.inferReshape(shape, newShape);
        if (!isContiguous()) {
            throw new IllegalStateException("cannot reshape a non-contiguous view " + this + " to "
                    + Arrays.toString(s) + " without a copy; copy it into a contiguous tensor first");
        }
        return view(offset, s, Shapes.contiguousStrides(s));
    }

    /** Swaps two axes. */
    public Tensor transpose(int a, int b) {
        int x = axis(a), y = axis(b);
        int[] s = shape.clone();
        long[] st = strides.clone();
        s[x] = shape[y];
        s[y] = shape[x];
        st[x] = strides[y];
        st[y] = strides[x];
        return view(offset, s, st);
    }

    /** Transposes the last two axes (matrix transpose, batched). */
    public Tensor mT() {
        return transpose(-2, -1);
    }

    /** Reorders axes: result axis i is this tensor's axis {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute order " + Arrays.toString(order) + " does not match rank of "
                    + Arrays.toString(shape));
        }
        int[] s = new int[order.length];
        long[] st = new long[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = axis(order[i]);
            if (seen[a]) {
                throw new IllegalArgumentException("permute order repeats axis " + a + ": " + Arrays.toString(order));
            }
            seen[a] = true;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return view(offset, s, st);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along axis {@code d}. */
    public Tensor slice(int d, int start, int end, int step) {
        int a = axis(d);
        if (step <= 0 || start < 0 || end > shape[a] || start > end) {
            throw new IllegalArgumentException("slice [" + start + ":" + end + ":" + step + "] out of range for axis "
                    + a + " of shape " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        long[] st = strides.clone();
        s[a] = (end - start + step - 1) / step;
        st[a] = strides[a] * step;
        return view(offset + start * strides[a], s, st);
    }

    public Tensor slice(int d, int start, int end) {
        return slice(d, start, end, 1);
    }

    /** The sub-tensor at {@code index} along axis {@code d}, with that axis removed. */
    public Tensor select(int d, int index) {
        int a = axis(d);
        if (index < 0 || index >= shape[a]) {
            throw new IllegalArgumentException("index " + index + " out of range for axis " + a + " of shape "
                    + Arrays.toString(shape));
        }
        return view(offset + index * strides[a], Shapes.remove(shape, a),
                Shapes.remove(strides, a));
    }

    /** Inserts an axis of size 1 at position {@code d} (0..rank). */
    public Tensor unsqueeze(int d) {
        int a = d < 0 ? d + shape.length + 1 : d;
        if (a < 0 || a > shape.length) {
            throw new IllegalArgumentException("unsqueeze axis " + d + " out of range for shape " + Arrays.toString(shape));
        }
        long st = a < shape.length ? strides[a] * shape[a] : 1;
        return view(offset, Shapes.insert(shape, a, 1), Shapes.insert(strides, a, st));
    }

    /** Removes axis {@code d}, which must have size 1. */
    public Tensor squeeze(int d) {
        int a = axis(d);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("cannot squeeze axis " + a + " of size " + shape[a] + " in shape "
                    + Arrays.toString(shape));
        }
        return view(offset, Shapes.remove(shape, a), Shapes.remove(strides, a));
    }

    /** A read-only-by-convention view repeating size-1 axes (stride 0), NumPy broadcasting rules. */
    public Tensor broadcastTo(int... target) {
        return view(offset, target.clone(), Shapes.broadcastStrides(shape, strides, target));
    }

    // ---------------------------------------------------------------- element access (slow; tests, I/O)

    /** Element offset (from the segment start) of the multi-index {@code idx}. */
    public long elementOffset(int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(idx) + " has wrong rank for shape "
                    + Arrays.toString(shape));
        }
        long o = offset;
        for (int d = 0; d < idx.length; d++) {
            if (idx[d] < 0 || idx[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of range for shape "
                        + Arrays.toString(shape));
            }
            o += idx[d] * strides[d];
        }
        return o;
    }

    public double get(int... idx) {
        return dtype.get(host(), elementOffset(idx));
    }

    public void set(double value, int... idx) {
        dtype.set(host(), elementOffset(idx), value);
    }

    /** Element offset of the {@code i}-th element in row-major logical order. */
    public long flatOffset(long i) {
        long o = offset;
        for (int d = shape.length - 1; d >= 0; d--) {
            int n = shape[d];
            o += (i % n) * strides[d];
            i /= n;
        }
        return o;
    }

    /** The {@code i}-th element in row-major logical order. */
    public double getFlat(long i) {
        return dtype.get(host(), flatOffset(i));
    }

    public void setFlat(long i, double value) {
        dtype.set(host(), flatOffset(i), value);
    }

    /** The only element of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs one element, tensor has shape " + Arrays.toString(shape));
        }
        return dtype.get(host(), offset);
    }

    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = getFlat(i);
        }
        return out;
    }

    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getFlat(i);
        }
        return out;
    }

    /**
     * Copies {@code src} (same shape, or broadcastable to it) element by element; any dtypes and strides. Two
     * contiguous, non-overlapping blocks of one dtype and shape are copied as bytes (the same result, at memory speed:
     * a 19M-element parameter block in milliseconds rather than a fifth of a second).
     */
    public void copyFrom(Tensor src) {
        Tensor s = src.sameShape(this) ? src : src.broadcastTo(shape);
        long n = numel();
        if (s == src && src.dtype == dtype && isContiguous() && src.isContiguous()) {
            long bytes = n * dtype.byteSize();
            long to = segment().address() + offset() * dtype.byteSize();
            long from = src.segment().address() + src.offset() * dtype.byteSize();
            if (from + bytes <= to || to + bytes <= from) {
                MemorySegment.copy(src.segment(), src.offset() * dtype.byteSize(), segment(), offset() * dtype.byteSize(), bytes);
                return;
            }
        }
        for (long i = 0; i < n; i++) {
            setFlat(i, s.getFlat(i));
        }
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype + Arrays.toString(shape) + (device ? ", device" : "") + ")";
    }
}
