package optlab.optim.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    /** The vector kernels can run; else {@link #forwardScalar} gives the path norm and Path-SGD's step is refused. */
    public static final boolean VECTORS = VectorSupport.vectors();

    private PathKernels() {
    }

    /**
     * φ^p of the chain in plain double loops, for JVMs without the Vector API (or with -Doptlab.vector=scalar):
     * the same forward pass as {@link #forward}, γ_0 = 1, γ_{k+1} = m^p·(|W|^p γ_k + |b|^p), φ^p = Σ γ_L, summed in
     * element order, so it agrees with the vector kernel to rounding.
     */
    public static double forwardScalar(DType dtype, Layer[] layers, MemorySegment params, long pOff, double p) {
        ValueLayout layout = dtype.layout();
        double[] x = new double[layers[0].in()];
        java.util.Arrays.fill(x, 1);
        for (Layer l : layers) {
            double c = Math.pow(l.multiplier(), p);
            double[] y = new double[l.out()];
            for (int o = 0; o < l.out(); o++) {
                double sum = 0;
                long row = pOff + l.weight() + (long) o * l.in();
                for (int i = 0; i < l.in(); i++) {
                    sum += Math.pow(Math.abs(read(params, layout, row + i)), p) * x[i];
                }
                double b = l.bias() < 0 ? 0 : Math.pow(Math.abs(read(params, layout, pOff + l.bias() + o)), p);
                y[o] = c * (sum + b);
            }
            x = y;
        }
        double phi = 0;
        for (double v : x) {
            phi += v;
        }
        return phi;
    }

    private static double read(MemorySegment s, ValueLayout layout, long element) {
        return layout instanceof ValueLayout.OfFloat f ? s.getAtIndex(f, element) : s.getAtIndex((ValueLayout.OfDouble) layout, element);
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
