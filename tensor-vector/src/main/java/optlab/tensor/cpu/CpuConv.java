package optlab.tensor.cpu;

import java.util.function.IntConsumer;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.cpu.Workspace.Slot;
import optlab.tensor.internal.ConvGeometry;

/**
 * 2-D convolution as im2col + GEMM. Images go in groups whose unfolded columns fit a fixed budget;
 * per group, x unfolds into cols [G, C·kh·kw, Ho·Wo] (in parallel over image channels) and
 * <pre>
 *   forward          out[n] = W · cols[n] (+ bias)         one batched gemm, W [O, C·kh·kw] broadcast
 *   backward input   cols[n] = Wᵀ · gOut[n], then fold      one batched gemm, col2im scatter-adds
 *   backward weight  gW += gOut[n] · cols[n]ᵀ               one gemm per image, beta = 1 after the first
 * </pre>
 * Parallelism inside each gemm is the GEMM's business. A pointwise (1×1, stride 1, unpadded) conv on
 * contiguous tensors skips the unfolding: cols[n] is x[n] viewed as [C, H·W]. Columns and staged
 * copies of non-contiguous views live in the backend's {@link Workspace}, reused across calls.
 */
final class CpuConv {
    /** Elements of unfolded columns held at once (16 MiB in F32): bounds memory, keeps batched gemms large. */
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
        boolean direct = out.isContiguous();
        int group = groupSize(g, budget);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
            int n1 = Math.min(g.n(), n0 + group);
            Tensor cols = columns(backend, x, g, n0, n1);
            Tensor dst = direct ? rows(out, g.o(), g.pixels()).slice(0, n0, n1)
                    : ws.tensor(Slot.CONV_OUT, out.dtype(), n1 - n0, g.o(), g.pixels());
            backend.gemm(1, w2, cols, 0, dst);
            if (bias != null) {
                addBias(backend, dst, bias);
            }
            if (!direct) {
                out.slice(0, n0, n1).copyFrom(dst.reshape(n1 - n0, g.o(), g.ho(), g.wo()));
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
        boolean pointwise = g.pointwise() && gx.isContiguous();
        int group = groupSize(g, budget);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
            int n1 = Math.min(g.n(), n0 + group);
            Tensor gy = gradRows(ws, gOut, g, n0, n1);
            if (pointwise) {
                backend.gemm(1, w2t, gy, 0, rows(gx, g.c(), g.h() * g.w()).slice(0, n0, n1));
                continue;
            }
            Tensor cols = ws.tensor(Slot.CONV_COLS, gx.dtype(), n1 - n0, g.patch(), g.pixels());
            backend.gemm(1, w2t, gy, 0, cols);
            boolean f32 = gx.dtype() == DType.F32;
            int first = n0;
            forEach(backend, (n1 - n0) * g.c(), (long) (n1 - n0) * g.patch() * g.pixels(), t -> {
                int i = t / g.c(), c = t % g.c();
                long go = gx.offset() + (first + i) * gx.stride(0) + c * gx.stride(1);
                long co = cols.offset() + ((long) i * g.patch() + (long) c * g.kh() * g.kw()) * g.pixels();
                if (f32) {
                    Im2colF32.clear(gx.segment(), go, gx.stride(2), gx.stride(3), g.h(), g.w());
                    Im2colF32.fold(g, cols.segment(), co, gx.segment(), go, gx.stride(2), gx.stride(3));
                } else {
                    Im2colF64.clear(gx.segment(), go, gx.stride(2), gx.stride(3), g.h(), g.w());
                    Im2colF64.fold(g, cols.segment(), co, gx.segment(), go, gx.stride(2), gx.stride(3));
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
            zero(gw2);
        }
        int group = groupSize(g, budget);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
            int n1 = Math.min(g.n(), n0 + group);
            Tensor gy = gradRows(ws, gOut, g, n0, n1);
            Tensor cols = columns(backend, x, g, n0, n1);
            for (int i = 0; i < n1 - n0; i++) {
                backend.gemm(1, gy.select(0, i), cols.select(0, i).mT(), n0 + i == 0 ? 0 : 1, gw2);
            }
            if (gBias != null) {
                for (int r = 0; r < (n1 - n0) * g.o(); r++) { // rows (image, o) of the contiguous gy
                    long at = gy.offset() + (long) r * g.pixels();
                    biasSums[r % g.o()] += gy.dtype() == DType.F32
                            ? BiasF32.sum(gy.segment(), at, g.pixels()) : BiasF64.sum(gy.segment(), at, g.pixels());
                }
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

    /** x[n0, n1) unfolded to [G, C·kh·kw, Ho·Wo]: a view of x itself when the conv is pointwise. */
    private static Tensor columns(CpuBackend backend, Tensor x, ConvGeometry g, int n0, int n1) {
        if (g.pointwise() && x.isContiguous()) {
            return rows(x, g.c(), g.h() * g.w()).slice(0, n0, n1);
        }
        Tensor cols = backend.workspace().tensor(Slot.CONV_COLS, x.dtype(), n1 - n0, g.patch(), g.pixels());
        boolean f32 = x.dtype() == DType.F32;
        forEach(backend, (n1 - n0) * g.c(), (long) (n1 - n0) * g.patch() * g.pixels(), t -> {
            int i = t / g.c(), c = t % g.c();
            long xo = x.offset() + (n0 + i) * x.stride(0) + c * x.stride(1);
            long co = cols.offset() + ((long) i * g.patch() + (long) c * g.kh() * g.kw()) * g.pixels();
            if (f32) {
                Im2colF32.unfold(g, x.segment(), xo, x.stride(2), x.stride(3), cols.segment(), co);
            } else {
                Im2colF64.unfold(g, x.segment(), xo, x.stride(2), x.stride(3), cols.segment(), co);
            }
        });
        return cols;
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

    /** gOut[n0, n1) as [G, O, Ho·Wo], staged into the workspace when gOut is not contiguous. */
    private static Tensor gradRows(Workspace ws, Tensor gOut, ConvGeometry g, int n0, int n1) {
        if (gOut.isContiguous()) {
            return rows(gOut, g.o(), g.pixels()).slice(0, n0, n1);
        }
        Tensor t = ws.tensor(Slot.CONV_GRAD_OUT, gOut.dtype(), n1 - n0, g.o(), g.pixels());
        t.reshape(n1 - n0, g.o(), g.ho(), g.wo()).copyFrom(gOut.slice(0, n0, n1));
        return t;
    }

    /** dst [G, O, P] (contiguous) += bias[o] on every row o. */
    private static void addBias(CpuBackend backend, Tensor dst, Tensor bias) {
        int rows = dst.dim(0) * dst.dim(1), o = dst.dim(1), len = dst.dim(2);
        boolean f32 = dst.dtype() == DType.F32;
        forEach(backend, rows, (long) rows * len, r -> {
            double v = bias.dtype().get(bias.segment(), bias.offset() + (r % o) * bias.stride(0));
            long at = dst.offset() + (long) r * len;
            if (f32) {
                BiasF32.add(dst.segment(), at, len, (float) v);
            } else {
                BiasF64.add(dst.segment(), at, len, v);
            }
        });
    }

    private static Tensor rows(Tensor t, int r, int q) {
        return t.reshape(t.dim(0), r, q);
    }

    private static void zero(Tensor t) {
        for (long i = 0, n = t.numel(); i < n; i++) {
            t.setFlat(i, 0);
        }
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
