package optlab.tensor.cpu;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.internal.ConvGeometry;

/**
 * Which convolutions skip im2col and run directly ({@link DirectConvF32}, {@link DirectConvF64}), and
 * the dtype dispatch. Direct kernels need stride 1; they win where channels are few and feature maps
 * large, so that an im2col column entry would feed only a few multiply-adds.
 */
final class DirectConv {
    private DirectConv() {
    }

    /** Forward: stride 1 and a feature map worth the flat layout. */
    static boolean suits(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.pixels() >= 256 && g.c() * g.o() <= 64 * 64;
    }

    /** Backward input: as forward, and the flipped kernel's padding k − 1 − pad is not negative. */
    static boolean suitsBackwardInput(ConvGeometry g) {
        return suits(g) && g.padH() <= g.kh() - 1 && g.padW() <= g.kw() - 1;
    }

    /** Backward weight: as forward; per-task lane sums grow with O·C·kh·kw. */
    static boolean suitsBackwardWeight(ConvGeometry g) {
        return suits(g) && (long) g.o() * g.c() * g.kh() * g.kw() <= 64 * 64 * 9;
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
