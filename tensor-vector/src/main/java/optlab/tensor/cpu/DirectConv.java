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
     * Backward input: a forward conv of gOut per phase of gx (one phase for stride 1), each placed at a
     * non-negative offset in its padded plane (padding at most about kernel − 1).
     */
    static boolean suitsBackwardInput(ConvGeometry g) {
        return suits(g) && phasesFit(g);
    }

    /** Where phase (a, b) of gx (rows r ≡ a − padH mod sh, columns likewise) gets its sub-kernel and gOut. */
    private record Phase(int kh, int kw, int r0, int c0, int top, int left) {
        static Phase of(ConvGeometry g, int a, int b) {
            int sh = g.strideH(), sw = g.strideW();
            int kh = a < g.kh() ? (g.kh() - a + sh - 1) / sh : 0, kw = b < g.kw() ? (g.kw() - b + sw - 1) / sw : 0;
            int r0 = Math.floorMod(a - g.padH(), sh), c0 = Math.floorMod(b - g.padW(), sw);
            // Phase row u (gx row r0 + sh·u') sums gOut rows u − i' for sub-kernel rows i': gOut sits kh − 1 − u0 down.
            return new Phase(kh, kw, r0, c0, kh - 1 - (r0 + g.padH() - a) / sh, kw - 1 - (c0 + g.padW() - b) / sw);
        }

        boolean empty(ConvGeometry g) {
            return r0 >= g.h() || c0 >= g.w();
        }

        boolean noTaps() {
            return kh == 0 || kw == 0;
        }
    }

    /** Every phase with taps places gOut at a non-negative offset. */
    static boolean phasesFit(ConvGeometry g) {
        for (int a = 0; a < g.strideH(); a++) {
            for (int b = 0; b < g.strideW(); b++) {
                Phase ph = Phase.of(g, a, b);
                if (!ph.empty(g) && !ph.noTaps() && (ph.top() < 0 || ph.left() < 0)) {
                    return false;
                }
            }
        }
        return true;
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

    /**
     * gx phase by phase: phase (a, b) is the strided view gx[.., r0::sh, c0::sw], a stride-1 conv of gOut
     * with the taps i ≡ a, j ≡ b of the flipped kernel; a phase no tap reaches is zero.
     */
    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, ConvGeometry g, Tensor gx, boolean lanes) {
        Parallel p = backend.parallel();
        for (int a = 0; a < g.strideH(); a++) {
            for (int b = 0; b < g.strideW(); b++) {
                Phase ph = Phase.of(g, a, b);
                if (ph.empty(g)) {
                    continue;
                }
                Tensor dst = gx.slice(2, ph.r0(), g.h(), g.strideH()).slice(3, ph.c0(), g.w(), g.strideW());
                if (ph.noTaps()) {
                    backend.fill(dst, 0);
                    continue;
                }
                // Enough padded rows for every phase row and for all of gOut; extra output rows are dropped.
                int hp = Math.max(dst.dim(2) + ph.kh() - 1, ph.top() + g.ho());
                int wp = Math.max(dst.dim(3) + ph.kw() - 1, ph.left() + g.wo());
                DirectPlan plan = new DirectPlan(g.o(), g.c(), ph.kh(), ph.kw(), hp, wp, 1, 1);
                int sh = g.strideH(), sw = g.strideW(), top = ph.top(), left = ph.left();
                if (gx.dtype() == DType.F32) {
                    if (lanes) {
                        DirectConvLanesF32.backwardInputPhase(p, gOut, w, plan, top, left, a, b, sh, sw, dst);
                    } else {
                        DirectConvF32.backwardInputPhase(p, gOut, w, plan, top, left, a, b, sh, sw, dst);
                    }
                } else if (lanes) {
                    DirectConvLanesF64.backwardInputPhase(p, gOut, w, plan, top, left, a, b, sh, sw, dst);
                } else {
                    DirectConvF64.backwardInputPhase(p, gOut, w, plan, top, left, a, b, sh, sw, dst);
                }
            }
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
