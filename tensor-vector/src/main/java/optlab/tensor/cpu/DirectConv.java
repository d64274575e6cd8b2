package optlab.tensor.cpu;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.internal.ConvGeometry;

/**
 * Which convolutions skip im2col and run directly ({@link DirectConvF32}, {@link DirectConvF64}), and
 * the dtype dispatch. They win where channels are few and feature maps large, so that an im2col column entry would feed only a few multiply-adds. The JVM option
 * {@code -Doptlab.conv=im2col} turns them off (A/B timings against im2col + GEMM).
 */
final class DirectConv {
    /** The system property that can turn the direct kernels off. */
    static final String PROPERTY = "optlab.conv";
    private static final boolean ENABLED = !"im2col".equals(System.getProperty(PROPERTY, "direct"));

    private DirectConv() {
    }

    /** Forward: a spatial kernel (1×1 is a plain GEMM), stride 1 or 2, an output map worth the flat layout (ConvTiming). */
    static boolean suits(ConvGeometry g) {
        return ENABLED && g.kh() * g.kw() > 1 && g.strideH() <= 2 && g.strideW() <= 2 && g.pixels() >= 64
                && g.c() * g.o() <= 64 * 64;
    }

    /**
     * Backward input: stride 1 (a forward conv of gOut) with the flipped kernel's padding k − 1 − pad not
     * negative.
     */
    static boolean suitsBackwardInput(ConvGeometry g) {
        return suits(g) && g.strideH() == 1 && g.strideW() == 1 && g.padH() <= g.kh() - 1 && g.padW() <= g.kw() - 1;
    }

    /** Backward weight: larger maps than forward (per-image lane sums), and per-task sums that stay small. */
    static boolean suitsBackwardWeight(ConvGeometry g) {
        return suits(g) && g.pixels() >= 256 && (long) g.o() * g.c() * g.kh() * g.kw() <= 64 * 64 * 9;
    }

    static void forward(CpuBackend backend, Tensor x, Tensor w, Tensor bias, ConvGeometry g, Tensor out) {
        if (x.dtype() == DType.F32) {
            DirectConvF32.forward(backend.parallel(), x, w, bias, g, out);
        } else {
            DirectConvF64.forward(backend.parallel(), x, w, bias, g, out);
        }
    }

    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, ConvGeometry g, Tensor gx) {
        if (gx.dtype() == DType.F32) {
            DirectConvF32.backwardInput(backend.parallel(), gOut, w, g, gx);
        } else {
            DirectConvF64.backwardInput(backend.parallel(), gOut, w, g, gx);
        }
    }

    static void backwardWeight(CpuBackend backend, Tensor gOut, Tensor x, ConvGeometry g, Tensor gw, Tensor gBias) {
        if (x.dtype() == DType.F32) {
            DirectConvF32.backwardWeight(backend.parallel(), gOut, x, g, gw, gBias);
        } else {
            DirectConvF64.backwardWeight(backend.parallel(), gOut, x, g, gw, gBias);
        }
    }
}
