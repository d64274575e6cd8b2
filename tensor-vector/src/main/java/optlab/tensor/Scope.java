package optlab.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lifetime of a group of tensors. Tensors allocated here are valid until {@link #close()}: a
 * plain scope frees them then; a scope opened on a {@link BufferPool} returns them to the pool, so
 * a per-step scope in a training loop reuses the same buffers every step. Memory is shared across
 * threads (kernels split work over cores) and 64-byte aligned.
 */
public final class Scope implements AutoCloseable {
    private final Arena arena;
    private final BufferPool pool;
    private final List<MemorySegment> leased = new ArrayList<>();
    private final List<Runnable> releases = new ArrayList<>();
    private boolean closed;

    private Scope(Arena arena, BufferPool pool) {
        this.arena = arena;
        this.pool = pool;
    }

    /** A scope that owns its memory and frees it on close. */
    public static Scope open() {
        return new Scope(Arena.ofShared(), null);
    }

    /** A scope that leases buffers from {@code pool} and gives them back on close. */
    public static Scope open(BufferPool pool) {
        return new Scope(null, pool);
    }

    /**
     * Runs {@code release} when this scope closes (before its own memory goes): how a device backend ties memory it
     * leases for this scope's tensors ({@link optlab.tensor.backend.Backend#empty}) to the scope's lifetime.
     */
    public void onClose(Runnable release) {
        if (closed) {
            throw new IllegalStateException("scope is closed");
        }
        releases.add(java.util.Objects.requireNonNull(release, "release"));
    }

    /** Uninitialized contiguous tensor. */
    public Tensor empty(DType dtype, int... shape) {
        Shapes.check(shape);
        long bytes = Math.max(1, Shapes.numel(shape)) * dtype.byteSize();
        MemorySegment seg = allocate(bytes);
        return new Tensor(seg, dtype, 0, shape.clone(), Shapes.contiguousStrides(shape));
    }

    public Tensor zeros(DType dtype, int... shape) {
        Tensor t = empty(dtype, shape);
        t.segment().fill((byte) 0);
        return t;
    }

    public Tensor full(DType dtype, double value, int... shape) {
        Tensor t = empty(dtype, shape);
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            dtype.set(t.segment(), i, value);
        }
        return t;
    }

    /** A contiguous tensor of the same shape as {@code like}, uninitialized. */
    public Tensor emptyLike(Tensor like) {
        return empty(like.dtype(), like.shape());
    }

    /** A contiguous copy of any view, in its dtype or another. */
    public Tensor copyOf(Tensor src, DType dtype) {
        Tensor t = empty(dtype, src.shape());
        t.copyFrom(src);
        return t;
    }

    public Tensor copyOf(Tensor src) {
        return copyOf(src, src.dtype());
    }

    /** A tensor holding {@code values} (row-major) in the given dtype. */
    public Tensor of(DType dtype, double[] values, int... shape) {
        if (Shapes.numel(shape) != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + java.util.Arrays.toString(shape));
        }
        Tensor t = empty(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            dtype.set(t.segment(), i, values[i]);
        }
        return t;
    }

    public Tensor of(float[] values, int... shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return of(DType.F32, d, shape);
    }

    public Tensor scalar(DType dtype, double value) {
        return of(dtype, new double[] {value});
    }

    /** Standard normal samples from a seeded generator (deterministic for a given seed). */
    public Tensor randn(DType dtype, SplittableRandom rng, int... shape) {
        Tensor t = empty(dtype, shape);
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            dtype.set(t.segment(), i, Gaussian.next(rng));
        }
        return t;
    }

    /** Uniform samples in [lo, hi) from a seeded generator. */
    public Tensor uniform(DType dtype, SplittableRandom rng, double lo, double hi, int... shape) {
        Tensor t = empty(dtype, shape);
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            dtype.set(t.segment(), i, lo + (hi - lo) * rng.nextDouble());
        }
        return t;
    }

    private MemorySegment allocate(long bytes) {
        if (closed) {
            throw new IllegalStateException("scope is closed");
        }
        if (pool == null) {
            OffHeap.count(bytes);
            return arena.allocate(bytes, BufferPool.ALIGNMENT);
        }
        MemorySegment seg = pool.take(bytes);
        leased.add(seg);
        return seg;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = releases.size() - 1; i >= 0; i--) {
            releases.get(i).run();
        }
        releases.clear();
        if (pool == null) {
            arena.close();
        } else {
            for (MemorySegment seg : leased) {
                pool.give(seg);
            }
            leased.clear();
        }
    }
}
