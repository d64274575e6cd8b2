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

    /**
     * Forward: a spatial kernel (1×1 is a plain GEMM), stride 1 or 2, a map of at least 4×4 and channel
     * counts where ConvTiming measured the direct kernels ahead (per op, one thread, b128: 1.4-2.8× on
     * 16-64 channels at 32² and 16², 1.2-1.7× at 8² and 4² with up to 128 channels).
     */
    static boolean suits(ConvGeometry g) {
        long channels = (long) g.c() * g.o();
        return ENABLED && g.kh() * g.kw() > 1 && g.strideH() <= 2 && g.strideW() <= 2 && g.pixels() >= 16
                && channels <= (g.pixels() >= LANES_BELOW ? 64 * 64 : 128 * 128);
    }

    /**
     * Backward input: stride 1 (a forward conv of gOut) with the flipped kernel's padding k − 1 − pad not
     * negative.
     */
    static boolean suitsBackwardInput(ConvGeometry g) {
        return suits(g) && g.strideH() == 1 && g.strideW() == 1 && g.padH() <= g.kh() - 1 && g.padW() <= g.kw() - 1;
    }

    /** Backward weight: as forward; on large maps the per-task lane sums grow with O·C·kh·kw. */
    static boolean suitsBackwardWeight(ConvGeometry g) {
        return suits(g) && (g.pixels() < LANES_BELOW || (long) g.o() * g.c() * g.kh() * g.kw() <= 64 * 64 * 9);
    }

    /**
     * Maps below this many output pixels run with lanes over images ({@link DirectConvLanesF32}): rows
     * along vectors waste most of a vector block there (64→64 channels on 8×8, forward: 12.3 ms rows,
     * 9.4 lanes; on 16×16 lanes lose, 8.5 vs 10.4).
     */
    static final int LANES_BELOW = 256;

    static void forward(CpuBackend backend, Tensor x, Tensor w, Tensor bias, ConvGeometry g, Tensor out) {
        forward(backend, x, w, bias, g, out, g.pixels() < LANES_BELOW);
    }

    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, ConvGeometry g, Tensor gx) {
        backwardInput(backend, gOut, w, g, gx, g.pixels() < LANES_BELOW);
    }

    static void backwardWeight(CpuBackend backend, Tensor gOut, Tensor x, ConvGeometry g, Tensor gw, Tensor gBias) {
        backwardWeight(backend, gOut, x, g, gw, gBias, g.pixels() < LANES_BELOW);
    }

    // With the layout chosen (tests run both).

    static void forward(CpuBackend backend, Tensor x, Tensor w, Tensor bias, ConvGeometry g, Tensor out, boolean lanes) {
        Parallel p = backend.parallel();
        if (x.dtype() == DType.F32) {
            if (lanes) {
                DirectConvLanesF32.forward(p, x, w, bias, g, out);
            } else {
                DirectConvF32.forward(p, x, w, bias, g, out);
            }
        } else if (lanes) {
            DirectConvLanesF64.forward(p, x, w, bias, g, out);
        } else {
            DirectConvF64.forward(p, x, w, bias, g, out);
        }
    }

    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, ConvGeometry g, Tensor gx, boolean lanes) {
        Parallel p = backend.parallel();
        if (gx.dtype() == DType.F32) {
            if (lanes) {
                DirectConvLanesF32.backwardInput(p, gOut, w, g, gx);
            } else {
                DirectConvF32.backwardInput(p, gOut, w, g, gx);
            }
        } else if (lanes) {
            DirectConvLanesF64.backwardInput(p, gOut, w, g, gx);
        } else {
            DirectConvF64.backwardInput(p, gOut, w, g, gx);
        }
    }

    static void backwardWeight(CpuBackend backend, Tensor gOut, Tensor x, ConvGeometry g, Tensor gw, Tensor gBias,
            boolean lanes) {
        Parallel p = backend.parallel();
        if (x.dtype() == DType.F32) {
            if (lanes) {
                DirectConvLanesF32.backwardWeight(p, gOut, x, g, gw, gBias);
            } else {
                DirectConvF32.backwardWeight(p, gOut, x, g, gw, gBias);
            }
        } else if (lanes) {
            DirectConvLanesF64.backwardWeight(p, gOut, x, g, gw, gBias);
        } else {
            DirectConvF64.backwardWeight(p, gOut, x, g, gw, gBias);
        }
    }
}
