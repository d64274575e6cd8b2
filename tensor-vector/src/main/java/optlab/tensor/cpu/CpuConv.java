package optlab.tensor.cpu;

import java.util.function.IntConsumer;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.cpu.Workspace.Slot;
import optlab.tensor.internal.ConvGeometry;

/**
 * 2-D convolution as im2col + GEMM, one large GEMM per group of images. Images go in groups whose
 * unfolded columns fit a fixed budget; per group of G images, x unfolds into cols [C·kh·kw, G·Ho·Wo]
 * (image n's pixels are columns n·P .. n·P + P − 1, P = Ho·Wo; unfolded in parallel over image
 * channels) and, with gOut staged channel-major as gy [O, G·P],
 * <pre>
 *   forward          y  = W · cols   [O, G·P], then moved to out [G, O, P] (+ bias) in one pass
 *   backward input   cols = Wᵀ · gy, then folded back onto gx (col2im scatter-adds)
 *   backward weight  gW += gy · colsᵀ    (K = G·P deep), gBias += row sums of gy
 * </pre>
 * Laying the images side by side makes every product wide and deep even for small feature maps
 * (a 4×4 map gives P = 16 per image but G·P in the thousands), where one GEMM per image left the
 * kernel with 16-wide products and re-merged gW every image. Parallelism inside each GEMM is the
 * GEMM's business. Columns, staged gradients and outputs live in the backend's {@link Workspace},
 * reused across calls.
 */
final class CpuConv {
    /** Elements of unfolded columns held at once (16 MiB in F32): bounds memory, keeps the gemms large. */
    private static final long COLS_BUDGET = 1L << 22;
    /** Below this many elements moved, an unfold or fold stays on the calling thread. */
    private static final long PARALLEL_MIN = 1L << 15;

    private CpuConv() {
    }

    static void conv2d(CpuBackend backend, Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        conv2d(backend, x, w, bias, spec, out, COLS_BUDGET);
    }

    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        backwardInput(backend, gOut, w, spec, gx, COLS_BUDGET);
    }

    static void backwardWeight(CpuBackend backend, Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        backwardWeight(backend, gOut, x, spec, gw, gBias, COLS_BUDGET);
    }

    // The variants below take the columns budget so tests can force many small groups.

    static void conv2d(CpuBackend backend, Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out, long budget) {
        ConvGeometry g = ConvGeometry.forward(x, w, bias, spec, out);
        if (g.n() == 0 || g.o() == 0) {
            return;
        }
        Workspace ws = backend.workspace();
        Tensor w2 = weightRows(ws, w, g);
        int group = groupSize(g, budget);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
            int n1 = Math.min(g.n(), n0 + group);
            Tensor cols = columns(backend, x, g, n0, n1);
            Tensor y = ws.tensor(Slot.CONV_OUT, out.dtype(), g.o(), (n1 - n0) * g.pixels());
            backend.gemm(1, w2, cols, 0, y);
            Tensor images = imageMajor(y, g, n1 - n0);
            Tensor dst = out.slice(0, n0, n1);
            if (bias != null) {
                backend.binary(BinaryOp.ADD, images, bias.unsqueeze(0).unsqueeze(2).unsqueeze(3), dst);
            } else {
                backend.copy(images, dst);
            }
        }
    }

    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx, long budget) {
        ConvGeometry g = ConvGeometry.backwardInput(gOut, w, spec, gx);
        if (g.n() == 0 || g.c() == 0) {
            return;
        }
        Workspace ws = backend.workspace();
        Tensor w2t = weightRows(ws, w, g).mT();
        int group = groupSize(g, budget);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
            int n1 = Math.min(g.n(), n0 + group);
            Tensor gy = gradRows(backend, gOut, g, n0, n1);
            long ld = (long) (n1 - n0) * g.pixels();
            Tensor cols = ws.tensor(Slot.CONV_COLS, gx.dtype(), g.patch(), (n1 - n0) * g.pixels());
            backend.gemm(1, w2t, gy, 0, cols);
            boolean f32 = gx.dtype() == DType.F32;
            int first = n0;
            forEach(backend, (n1 - n0) * g.c(), (long) (n1 - n0) * g.patch() * g.pixels(), t -> {
                int i = t / g.c(), c = t % g.c();
                long go = gx.offset() + (first + i) * gx.stride(0) + c * gx.stride(1);
                long co = cols.offset() + (long) c * g.kh() * g.kw() * ld + (long) i * g.pixels();
                if (f32) {
                    Im2colF32.fold(g, cols.segment(), co, ld, gx.segment(), go, gx.stride(2), gx.stride(3));
                } else {
                    Im2colF64.fold(g, cols.segment(), co, ld, gx.segment(), go, gx.stride(2), gx.stride(3));
                }
            });
        }
    }

    static void backwardWeight(CpuBackend backend, Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias,
                               long budget) {
        ConvGeometry g = ConvGeometry.backwardWeight(gOut, x, spec, gw, gBias);
        Workspace ws = backend.workspace();
        boolean direct = gw.isContiguous();
        Tensor gw2 = direct ? gw.reshape(g.o(), g.patch()) : ws.tensor(Slot.CONV_WEIGHT, gw.dtype(), g.o(), g.patch());
        double[] biasSums = new double[gBias == null ? 0 : g.o()];
        if (g.n() == 0) {
            backend.fill(gw2, 0);
        }
        int group = groupSize(g, budget);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
            int n1 = Math.min(g.n(), n0 + group);
            Tensor gy = gradRows(backend, gOut, g, n0, n1);
            Tensor cols = columns(backend, x, g, n0, n1);
            backend.gemm(1, gy, cols.mT(), n0 == 0 ? 0 : 1, gw2);
            int len = (n1 - n0) * g.pixels();
            for (int o = 0; o < biasSums.length; o++) { // rows of the contiguous gy
                long at = gy.offset() + (long) o * len;
                biasSums[o] += gy.dtype() == DType.F32
                        ? BiasF32.sum(gy.segment(), at, len) : BiasF64.sum(gy.segment(), at, len);
            }
        }
        if (!direct) {
            gw.copyFrom(gw2.reshape(g.o(), g.c(), g.kh(), g.kw()));
        }
        for (int o = 0; o < biasSums.length; o++) {
            gBias.set(biasSums[o], o);
        }
    }

    /** Images per group: as many as fit the columns budget, at least one. */
    private static int groupSize(ConvGeometry g, long budget) {
        long perImage = Math.max(1, (long) g.patch() * g.pixels());
        return (int) Math.max(1, Math.min(g.n(), budget / perImage));
    }

    /** x[n0, n1) unfolded to cols [C·kh·kw, G·Ho·Wo] in the workspace. */
    private static Tensor columns(CpuBackend backend, Tensor x, ConvGeometry g, int n0, int n1) {
        long ld = (long) (n1 - n0) * g.pixels();
        Tensor cols = backend.workspace().tensor(Slot.CONV_COLS, x.dtype(), g.patch(), (n1 - n0) * g.pixels());
        boolean f32 = x.dtype() == DType.F32;
        forEach(backend, (n1 - n0) * g.c(), (long) (n1 - n0) * g.patch() * g.pixels(), t -> {
            int i = t / g.c(), c = t % g.c();
            long xo = x.offset() + (n0 + i) * x.stride(0) + c * x.stride(1);
            long co = cols.offset() + (long) c * g.kh() * g.kw() * ld + (long) i * g.pixels();
            if (f32) {
                Im2colF32.unfold(g, x.segment(), xo, x.stride(2), x.stride(3), cols.segment(), co, ld);
            } else {
                Im2colF64.unfold(g, x.segment(), xo, x.stride(2), x.stride(3), cols.segment(), co, ld);
            }
        });
        return cols;
    }

    /** A channel-major [O, G·P] matrix viewed as the images [G, O, Ho, Wo] it holds. */
    private static Tensor imageMajor(Tensor rows, ConvGeometry g, int images) {
        return rows.reshape(g.o(), images, g.ho(), g.wo()).permute(1, 0, 2, 3);
    }

    /** w as the matrix [O, C·kh·kw], staged into the workspace when w is not contiguous. */
    private static Tensor weightRows(Workspace ws, Tensor w, ConvGeometry g) {
        if (w.isContiguous()) {
            return w.reshape(g.o(), g.patch());
        }
        Tensor t = ws.tensor(Slot.CONV_WEIGHT, w.dtype(), g.o(), g.patch());
        t.reshape(w.shape()).copyFrom(w);
        return t;
    }

    /** gOut[n0, n1) staged channel-major as gy [O, G·Ho·Wo] in the workspace. */
    private static Tensor gradRows(CpuBackend backend, Tensor gOut, ConvGeometry g, int n0, int n1) {
        Tensor t = backend.workspace().tensor(Slot.CONV_GRAD_OUT, gOut.dtype(), g.o(), (n1 - n0) * g.pixels());
        backend.copy(gOut.slice(0, n0, n1), imageMajor(t, g, n1 - n0));
        return t;
    }

    /** body(0 .. tasks−1), over the team when the work is worth splitting. */
    private static void forEach(CpuBackend backend, int tasks, long work, IntConsumer body) {
        if (work >= PARALLEL_MIN) {
            backend.parallel().forEach(tasks, body);
        } else {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
        }
    }
}
