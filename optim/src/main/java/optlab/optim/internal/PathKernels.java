package optlab.optim.internal;

import java.lang.foreign.MemorySegment;
import optlab.optim.DensePaths.Layer;
import optlab.tensor.DType;
import optlab.tensor.simd.VectorSupport;

/**
 * Entry points of the dense-chain path kernels ({@code PathKernelF32/F64}): pick the dtype's generated
 * kernel. Offsets are in elements; the layers' offsets are relative to the block's first element.
 */
public final class PathKernels {
    /** A chain's reusable scratch for one dtype (made by {@link #work}). */
    public sealed interface Work permits PathKernelF32.Work, PathKernelF64.Work {
    }

    private PathKernels() {
    }

    /** Scratch for a chain whose boundaries have these unit counts (inputs first). */
    public static Work work(DType dtype, int[] sizes) {
        VectorSupport.require("Path-SGD's path kernels");
        return switch (dtype) {
            case F32 -> new PathKernelF32.Work(sizes);
            case F64 -> new PathKernelF64.Work(sizes);
        };
    }

    /** φ^p of the chain (the forward pass of its |w|^p network). */
    public static double forward(Team team, Work w, Layer[] layers, MemorySegment params, long pOff, double p) {
        return switch (w) {
            case PathKernelF32.Work f -> PathKernelF32.forward(team, f, layers, params, pOff, p);
            case PathKernelF64.Work d -> PathKernelF64.forward(team, d, layers, params, pOff, p);
        };
    }

    /** Writes κ of every entry into kappa (params' layout); returns φ^p. */
    public static double kappa(Team team, Work w, Layer[] layers, MemorySegment params, long pOff, MemorySegment kappa, long kOff,
            double p) {
        return switch (w) {
            case PathKernelF32.Work f -> PathKernelF32.kappa(team, f, layers, params, pOff, kappa, kOff, p);
            case PathKernelF64.Work d -> PathKernelF64.kappa(team, d, layers, params, pOff, kappa, kOff, p);
        };
    }

    /** One Path-SGD step p ← p − lr·g/κ over the chain, κ formed on the fly. */
    public static void step(Team team, Work w, Layer[] layers, MemorySegment params, long pOff, MemorySegment grads, long gOff,
            double p, double lr) {
        switch (w) {
            case PathKernelF32.Work f -> PathKernelF32.step(team, f, layers, params, pOff, grads, gOff, p, lr);
            case PathKernelF64.Work d -> PathKernelF64.step(team, d, layers, params, pOff, grads, gOff, p, lr);
        }
    }
}
