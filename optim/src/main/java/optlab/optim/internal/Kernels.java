package optlab.optim.internal;

import java.lang.foreign.MemorySegment;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.simd.VectorSupport;
import optlab.tensor.update.HostUpdate;
import optlab.tensor.update.UpdateStage;

/**
 * Entry points of the flat-block loops: pick the dtype's generated kernel and split long blocks into
 * fixed chunks run on a {@link Team} (the threads of the run's backend). Every element's update is
 * independent and the chunks depend only on the block's length, so the split never changes results;
 * partial sums are combined in chunk order, so norms are deterministic too. Offsets are in elements.
 *
 * <p>Without the Vector API (or with {@code -Doptlab.vector=scalar}) the same entry points run the scalar twin
 * {@code ScalarKernelF32/F64}, whose updates give the same bits.
 */
public final class Kernels {
    /** Blocks shorter than this run on the calling thread (fan-out costs more than it saves). */
    static final long PARALLEL_MIN = 1 << 17;
    /** Elements per parallel task: a multiple of every tile, a few hundred KiB of traffic. */
    static final long CHUNK = 1 << 15;
    /** Vector loops, or their scalar twin: fixed once per JVM (see {@link VectorSupport}). */
    static final boolean VECTORS = VectorSupport.vectors();

    private Kernels() {
    }

    /**
     * One fused update of {@code p} by {@code g} on {@code backend} ({@link Backend#update}): a host backend runs
     * these kernels on {@code team}, a device backend its own; without a backend (a state not yet {@code runOn} one),
     * these kernels on the team.
     */
    public static void update(Backend backend, Team team, UpdateStage[] stages, double lr, Tensor p, Tensor g) {
        if (backend == null) {
            host(team).run(stages, lr, p, g);
        } else {
            backend.update(stages, lr, p, g, host(team));
        }
    }

    /** The host path of {@link Backend#update}: these kernels on {@code team} over the tensors' memory. */
    public static HostUpdate host(Team team) {
        return (stages, lr, p, g) -> {
            Stage[] lowered = new Stage[stages.length];
            for (int i = 0; i < lowered.length; i++) {
                lowered[i] = Stage.of(stages[i]);
            }
            update(team, p.dtype(), lowered, lr, p.segment(), p.offset(), g.segment(), g.offset(), p.numel());
        };
    }

    /** Runs the stages over n elements: u = g, each stage rewrites u, then p = p − lr·u. */
    public static void update(Team team, DType dtype, Stage[] stages, double lr, MemorySegment p, long pOff, MemorySegment g,
            long gOff, long n) {
        if (n < PARALLEL_MIN) {
            updateRange(dtype, stages, lr, p, pOff, g, gOff, 0, n);
            return;
        }
        int chunks = (int) ((n + CHUNK - 1) / CHUNK);
        team.forEach(chunks, c ->
                updateRange(dtype, stages, lr, p, pOff, g, gOff, c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }

    private static void updateRange(DType dtype, Stage[] stages, double lr, MemorySegment p, long pOff,
            MemorySegment g, long gOff, long from, long to) {
        updateRange(VECTORS, dtype, stages, lr, p, pOff, g, gOff, from, to);
    }

    /** One range through the vector kernel or its scalar twin (tests compare the two). */
    static void updateRange(boolean vectors, DType dtype, Stage[] stages, double lr, MemorySegment p, long pOff,
            MemorySegment g, long gOff, long from, long to) {
        if (!vectors) {
            switch (dtype) {
                case F32 -> ScalarKernelF32.run(stages, lr, p, pOff, g, gOff, from, to);
                case F64 -> ScalarKernelF64.run(stages, lr, p, pOff, g, gOff, from, to);
            }
            return;
        }
        switch (dtype) {
            case F32 -> UpdateKernelF32.run(stages, lr, p, pOff, g, gOff, from, to);
            case F64 -> UpdateKernelF64.run(stages, lr, p, pOff, g, gOff, from, to);
        }
    }

    /** Σ x² over n elements from element offset off, accumulated per tile and then in double. */
    public static double sumOfSquares(Team team, DType dtype, MemorySegment s, long off, long n) {
        if (n < PARALLEL_MIN) {
            return sumOfSquaresRange(dtype, s, off, n);
        }
        int chunks = (int) ((n + CHUNK - 1) / CHUNK);
        double[] partial = new double[chunks];
        team.forEach(chunks, c ->
                partial[c] = sumOfSquaresRange(dtype, s, off + c * CHUNK, Math.min(CHUNK, n - c * CHUNK)));
        double total = 0;
        for (double x : partial) {
            total += x;
        }
        return total;
    }

    private static double sumOfSquaresRange(DType dtype, MemorySegment s, long off, long n) {
        if (!VECTORS) {
            return switch (dtype) {
                case F32 -> ScalarKernelF32.sumOfSquares(s, off, n);
                case F64 -> ScalarKernelF64.sumOfSquares(s, off, n);
            };
        }
        return switch (dtype) {
            case F32 -> GradKernelF32.sumOfSquares(s, off * 4, n);
            case F64 -> GradKernelF64.sumOfSquares(s, off * 8, n);
        };
    }

    /** x = c·x over n elements. */
    public static void scale(DType dtype, MemorySegment s, long off, long n, double c) {
        if (!VECTORS) {
            switch (dtype) {
                case F32 -> ScalarKernelF32.scale(s, off, n, c);
                case F64 -> ScalarKernelF64.scale(s, off, n, c);
            }
            return;
        }
        switch (dtype) {
            case F32 -> GradKernelF32.scale(s, off * 4, n, c);
            case F64 -> GradKernelF64.scale(s, off * 8, n, c);
        }
    }

    /** x = min(max(x, lo), hi) over n elements. */
    public static void clamp(DType dtype, MemorySegment s, long off, long n, double lo, double hi) {
        if (!VECTORS) {
            switch (dtype) {
                case F32 -> ScalarKernelF32.clamp(s, off, n, lo, hi);
                case F64 -> ScalarKernelF64.clamp(s, off, n, lo, hi);
            }
            return;
        }
        switch (dtype) {
            case F32 -> GradKernelF32.clamp(s, off * 4, n, lo, hi);
            case F64 -> GradKernelF64.clamp(s, off * 8, n, lo, hi);
        }
    }
}
