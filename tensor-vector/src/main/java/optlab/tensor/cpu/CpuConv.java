package optlab.tensor.cpu;

import java.lang.foreign.MemorySegment;
import java.util.function.IntConsumer;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.cpu.Workspace.Slot;
import optlab.tensor.internal.ConvGeometry;

/**
 * 2-D convolution. Convolutions {@link DirectConv} suits (spatial kernels, stride 1 or 2, few channels:
 * the ResNet and CNN layers) run there, from padded copies of the images with no im2col columns; the
 * rest, and the budget-taking variants below (tests), run as im2col + GEMM. Images go in groups whose unfolded columns fit a fixed budget;
 * per group of G images, x unfolds (in parallel over image channels) into columns whose layout
 * depends on the feature map's size P = Ho·Wo:
 * <ul>
 * <li>small maps (P below 256, e.g. the 8×8 and 4×4 stages of a ResNet): images side by side,
 *     cols [C·kh·kw, G·P], so every product is wide and deep however small the map:
 *     <pre>
 *   forward          y = W · cols [O, G·P], moved to out [G, O, P] (+ bias) in one pass
 *   backward input   cols = Wᵀ · gy, gy = gOut staged channel-major as [O, G·P]; then folded onto gx
 *   backward weight  gW += gy · colsᵀ (K = G·P deep), gBias += row sums of gy</pre>
 *     One GEMM per image there would be 16 columns wide and re-merge gW every image.
 * <li>large maps: one [C·kh·kw, P] block per image, cols [G, C·kh·kw, P], and batched products
 *     that read and write the image tensors in place (out[n] = W · cols[n], cols[n] = Wᵀ · gOut[n],
 *     gW += gOut[n] · cols[n]ᵀ), since each image's product is large enough and a layout copy
 *     would be pure cost (per-op CPU time, one thread: 32→16 channels on 32×32, b128, forward
 *     30 vs 33 ms).
 * </ul>
 * Parallelism inside each GEMM is the GEMM's business. Columns, staged gradients and outputs live
 * in the backend's {@link Workspace}, reused across calls.
 */
final class CpuConv {
    /** Elements of unfolded columns held at once (16 MiB in F32): bounds memory, keeps the gemms large. */
    private static final long COLS_BUDGET = 1L << 22;
    /** Feature maps of at least this many pixels get one block of columns (and one product) per image. */
    private static final int PER_IMAGE_PIXELS = 256;
    /** Below this many elements moved, an unfold or fold stays on the calling thread. */
    private static final long PARALLEL_MIN = 1L << 15;
    /** Column elements an unfold or fold task moves, at least (when there are enough). */
    private static final long TASK_MIN = 1L << 12;

    private CpuConv() {
    }

    /**
     * Where the columns of a group of {@code images} lie: row (c, i, j) of image n starts at
     * (c·kh·kw + i·kw + j)·ld + n·imageStride.
     */
    private record Columns(Tensor cols, ConvGeometry g, int images, boolean perImage) {
        long ld() {
            return perImage ? g.pixels() : (long) images * g.pixels();
        }

        long imageStride() {
            return perImage ? (long) g.patch() * g.pixels() : g.pixels();
        }

        /** Element offset of the kh·kw rows of image n, channel c. */
        long at(int n, int c) {
            return cols.offset() + (long) c * g.kh() * g.kw() * ld() + n * imageStride();
        }

        /** As G matrices [C·kh·kw, P]. */
        Tensor byImage() {
            return perImage ? cols.reshape(images, g.patch(), g.pixels())
                    : cols.reshape(g.patch(), images, g.pixels()).permute(1, 0, 2);
        }

        /** As one matrix [C·kh·kw, G·P] (images side by side only). */
        Tensor whole() {
            return cols.reshape(g.patch(), images * g.pixels());
        }
    }

    static void conv2d(CpuBackend backend, Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        ConvGeometry g = ConvGeometry.forward(x, w, bias, spec, out);
        if (DirectConv.suits(g)) {
            DirectConv.forward(backend, x, w, bias, g, out);
        } else {
            conv2d(backend, x, w, bias, spec, out, COLS_BUDGET);
        }
    }

    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        ConvGeometry g = ConvGeometry.backwardInput(gOut, w, spec, gx);
        if (DirectConv.suitsBackwardInput(g)) {
            DirectConv.backwardInput(backend, gOut, w, g, gx);
        } else {
            backwardInput(backend, gOut, w, spec, gx, COLS_BUDGET);
        }
    }

    static void backwardWeight(CpuBackend backend, Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        ConvGeometry g = ConvGeometry.backwardWeight(gOut, x, spec, gw, gBias);
        if (DirectConv.suitsBackwardWeight(g)) {
            DirectConv.backwardWeight(backend, gOut, x, g, gw, gBias);
        } else {
            backwardWeight(backend, gOut, x, spec, gw, gBias, COLS_BUDGET);
        }
    }

    // The variants below are im2col + GEMM only; they take the columns budget so tests can force many
    // small groups.

    static void conv2d(CpuBackend backend, Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out, long budget) {
        ConvGeometry g = ConvGeometry.forward(x, w, bias, spec, out);
        if (g.n() == 0 || g.o() == 0) {
            return;
        }
        Workspace ws = backend.workspace();
        Tensor w2 = weightRows(ws, w, g);
        Tensor b = bias == null ? null : bias.unsqueeze(0).unsqueeze(2).unsqueeze(3);
        int group = groupSize(g, budget);
        for (int n0 = 0; n0 < g.n(); n0 += group) {
            int n1 = Math.min(g.n(), n0 + group), images = n1 - n0;
            Columns cols = unfold(backend, x, g, n0, n1);
            Tensor dst = out.slice(0, n0, n1);
            Tensor y;
            if (cols.perImage()) {
                boolean direct = dst.isContiguous();
                y = direct ? dst : ws.tensor(Slot.CONV_OUT, out.dtype(), images, g.o(), g.ho(), g.wo());
                backend.gemm(1, w2, cols.byImage(), 0, y.reshape(images, g.o(), g.pixels()));
                if (direct) {
                    if (bias != null) {
                        addBias(backend, y, bias, g);
                    }
                    continue;
                }
            } else {
                Tensor rows = ws.tensor(Slot.CONV_OUT, out.dtype(), g.o(), images * g.pixels());
                backend.gemm(1, w2, cols.whole(), 0, rows);
                y = imageMajor(rows, g, images);
            }
            if (b != null) {
                backend.binary(BinaryOp.ADD, y, b, dst);
            } else {
                backend.copy(y, dst);
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
            int n1 = Math.min(g.n(), n0 + group), images = n1 - n0;
            Columns cols = new Columns(ws.tensor(Slot.CONV_COLS, gx.dtype(), g.patch() * images, g.pixels()), g, images,
                    g.pixels() >= PER_IMAGE_PIXELS);
            if (cols.perImage()) {
                backend.gemm(1, w2t, imageRows(ws, gOut, g, n0, n1), 0, cols.byImage());
            } else {
                backend.gemm(1, w2t, channelRows(backend, gOut, g, n0, n1), 0, cols.whole());
            }
            boolean f32 = gx.dtype() == DType.F32;
            long ld = cols.ld();
            MemorySegment cs = cols.cols().segment();
            int first = n0;
            forPlanes(backend, g, images, (i, c) -> {
                long go = gx.offset() + (first + i) * gx.stride(0) + c * gx.stride(1);
                if (f32) {
                    Im2colF32.fold(g, cs, cols.at(i, c), ld, gx.segment(), go, gx.stride(2), gx.stride(3));
                } else {
                    Im2colF64.fold(g, cs, cols.at(i, c), ld, gx.segment(), go, gx.stride(2), gx.stride(3));
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
            int n1 = Math.min(g.n(), n0 + group), images = n1 - n0;
            Columns cols = unfold(backend, x, g, n0, n1);
            if (cols.perImage()) {
                Tensor gy = imageRows(ws, gOut, g, n0, n1);
                Tensor per = cols.byImage();
                for (int i = 0; i < images; i++) {
                    backend.gemm(1, gy.select(0, i), per.select(0, i).mT(), n0 + i == 0 ? 0 : 1, gw2);
                }
                // Rows (image, o) of the contiguous gy.
                addRowSums(gy, images * g.o(), g.pixels(), biasSums);
            } else {
                Tensor gy = channelRows(backend, gOut, g, n0, n1);
                backend.gemm(1, gy, cols.whole().mT(), n0 == 0 ? 0 : 1, gw2);
                addRowSums(gy, g.o(), images * g.pixels(), biasSums);
            }
        }
        if (!direct) {
            gw.copyFrom(gw2.reshape(g.o(), g.c(), g.kh(), g.kw()));
        }
        for (int o = 0; o < biasSums.length; o++) {
            gBias.set(biasSums[o], o);
        }
    }

    /** sums[r % sums.length] += Σ of row r, for the rows of a contiguous [rows, len] tensor (none if no sums). */
    private static void addRowSums(Tensor t, int rows, int len, double[] sums) {
        for (int r = 0; sums.length > 0 && r < rows; r++) {
            long at = t.offset() + (long) r * len;
            sums[r % sums.length] += t.dtype() == DType.F32
                    ? BiasF32.sum(t.segment(), at, len) : BiasF64.sum(t.segment(), at, len);
        }
    }

    /** Images per group: as many as fit the columns budget, at least one. */
    private static int groupSize(ConvGeometry g, long budget) {
        long perImage = Math.max(1, (long) g.patch() * g.pixels());
        return (int) Math.max(1, Math.min(g.n(), budget / perImage));
    }

    /** x[n0, n1) unfolded into the workspace. */
    private static Columns unfold(CpuBackend backend, Tensor x, ConvGeometry g, int n0, int n1) {
        int images = n1 - n0;
        Tensor t = backend.workspace().tensor(Slot.CONV_COLS, x.dtype(), g.patch() * images, g.pixels());
        Columns cols = new Columns(t, g, images, g.pixels() >= PER_IMAGE_PIXELS);
        boolean f32 = x.dtype() == DType.F32;
        long ld = cols.ld();
        forPlanes(backend, g, images, (i, c) -> {
            long xo = x.offset() + (n0 + i) * x.stride(0) + c * x.stride(1);
            if (f32) {
                Im2colF32.unfold(g, x.segment(), xo, x.stride(2), x.stride(3), t.segment(), cols.at(i, c), ld);
            } else {
                Im2colF64.unfold(g, x.segment(), xo, x.stride(2), x.stride(3), t.segment(), cols.at(i, c), ld);
            }
        });
        return cols;
    }

    /**
     * dst [G, O, Ho, Wo] (contiguous) += bias[o] on every plane o, a row at a time (measured faster
     * than the general broadcasting add: 4 ms of a 25 ms forward on 3→32 channels, 32×32, b128).
     */
    private static void addBias(CpuBackend backend, Tensor dst, Tensor bias, ConvGeometry g) {
        int rows = dst.dim(0) * g.o(), len = g.pixels();
        boolean f32 = dst.dtype() == DType.F32;
        IntConsumer row = r -> {
            double v = bias.dtype().get(bias.segment(), bias.offset() + (r % g.o()) * bias.stride(0));
            long at = dst.offset() + (long) r * len;
            if (f32) {
                BiasF32.add(dst.segment(), at, len, (float) v);
            } else {
                BiasF64.add(dst.segment(), at, len, v);
            }
        };
        if ((long) rows * len >= PARALLEL_MIN) {
            backend.parallel().forEach(rows, row);
        } else {
            for (int r = 0; r < rows; r++) {
                row.accept(r);
            }
        }
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

    /** gOut[n0, n1) staged channel-major as [O, G·Ho·Wo] in the workspace. */
    private static Tensor channelRows(CpuBackend backend, Tensor gOut, ConvGeometry g, int n0, int n1) {
        Tensor t = backend.workspace().tensor(Slot.CONV_GRAD_OUT, gOut.dtype(), g.o(), (n1 - n0) * g.pixels());
        backend.copy(gOut.slice(0, n0, n1), imageMajor(t, g, n1 - n0));
        return t;
    }

    /** gOut[n0, n1) as [G, O, Ho·Wo], staged into the workspace when gOut is not contiguous. */
    private static Tensor imageRows(Workspace ws, Tensor gOut, ConvGeometry g, int n0, int n1) {
        if (gOut.isContiguous()) {
            return gOut.slice(0, n0, n1).reshape(n1 - n0, g.o(), g.pixels());
        }
        Tensor t = ws.tensor(Slot.CONV_GRAD_OUT, gOut.dtype(), n1 - n0, g.o(), g.pixels());
        t.reshape(n1 - n0, g.o(), g.ho(), g.wo()).copyFrom(gOut.slice(0, n0, n1));
        return t;
    }

    /** The work on image i (of the group) and input channel c. */
    private interface PlaneBody {
        void run(int i, int c);
    }

    /**
     * body over every (image, channel) of a group of {@code images}, over the team when the work is
     * worth splitting. A task is one channel and a run of images, channel-major, so a task's writes
     * (or reads) of the columns are neighbours in the same kh·kw rows rather than pages apart, and
     * each task moves enough elements (small feature maps) to outweigh its hand-off.
     */
    private static void forPlanes(CpuBackend backend, ConvGeometry g, int images, PlaneBody body) {
        long perImage = Math.max(1, (long) g.kh() * g.kw() * g.pixels());
        int run = (int) Math.clamp(TASK_MIN / perImage, 1, images);
        int runs = (images + run - 1) / run;
        IntConsumer task = t -> {
            int c = t / runs, i0 = t % runs * run, i1 = Math.min(images, i0 + run);
            for (int i = i0; i < i1; i++) {
                body.run(i, c);
            }
        };
        int tasks = runs * g.c();
        if ((long) images * g.c() * perImage >= PARALLEL_MIN) {
            backend.parallel().forEach(tasks, task);
        } else {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
        }
    }
}
