package optlab.tensor.cuda;

import optlab.tensor.BufferPool;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.internal.ConvGeometry;

/**
 * 2-D convolution on the device by lowering to cuBLAS GEMMs. For a chunk of nc samples, im2col writes
 * cols [P, nc·L] (P = C·kh·kw rows, one column per sample and output pixel, L = Ho·Wo); then
 * <pre>
 *   forward          out[n, o, ·] = W[O, P] · cols              (+ bias[o])
 *   backward input   colsG = Wᵀ · gOut[O, nc·L],  gx = col2im(colsG)
 *   backward weight  gW[O, P] = Σ_chunks gOut[O, nc·L] · colsᵀ,  gBias[o] = Σ gOut[·, o, ·, ·]
 * </pre>
 * Chunks bound the lowering's workspace to {@link #COLS_LIMIT} elements. Host operands are placed on the device for
 * the call and results copied back, as every op of this backend accepts them.
 */
final class DeviceConv implements AutoCloseable {
    /** Elements of one chunk's cols matrix: 64 Mi (256 MiB in F32), a fraction of any training GPU's memory. */
    static final long COLS_LIMIT = 1L << 26;

    private final CudaBackend cuda;
    /** Elements one chunk's cols may hold ({@link #COLS_LIMIT}; tests lower it to exercise chunking). */
    long colsLimit = COLS_LIMIT;
    /** Never holds data: the scopes of these calls lease device memory only (given back when they close). */
    private final BufferPool hostPool = new BufferPool();

    DeviceConv(CudaBackend cuda) {
        this.cuda = cuda;
    }

    void forward(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        ConvGeometry g = ConvGeometry.forward(x, w, bias, spec, out);
        if (out.numel() == 0) {
            return;
        }
        try (Scope s = Scope.open(hostPool)) {
            Tensor xd = cuda.place(x, s), w2 = matrix(w, s), od = target(out, s);
            int nc = chunk(g);
            Tensor cols = cuda.empty(s, x.dtype(), Math.toIntExact((long) g.patch() * nc * g.pixels()));
            Tensor tmp = cuda.empty(s, x.dtype(), Math.toIntExact((long) g.o() * nc * g.pixels()));
            for (int n0 = 0; n0 < g.n(); n0 += nc) {
                int n1 = Math.min(g.n(), n0 + nc), k = n1 - n0;
                Tensor c = lower(g, xd.slice(0, n0, n1), cols, k);
                Tensor t = prefix(tmp, g.o(), k * g.pixels());
                cuda.gemm(1, w2, c, 0, t);
                cuda.copy(t.reshape(g.o(), k, g.ho(), g.wo()), od.slice(0, n0, n1).permute(1, 0, 2, 3));
            }
            if (bias != null) {
                cuda.binary(BinaryOp.ADD, od, cuda.place(bias, s).unsqueeze(0).unsqueeze(2).unsqueeze(3), od);
            }
            finish(od, out);
        }
    }

    void backwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        ConvGeometry g = ConvGeometry.backwardInput(gOut, w, spec, gx);
        if (gx.numel() == 0) {
            return;
        }
        try (Scope s = Scope.open(hostPool)) {
            Tensor gd = cuda.place(gOut, s), w2 = matrix(w, s), gxd = target(gx, s);
            int nc = chunk(g);
            Tensor cols = cuda.empty(s, gx.dtype(), Math.toIntExact((long) g.patch() * nc * g.pixels()));
            Tensor go = cuda.empty(s, gx.dtype(), Math.toIntExact((long) g.o() * nc * g.pixels()));
            for (int n0 = 0; n0 < g.n(); n0 += nc) {
                int n1 = Math.min(g.n(), n0 + nc), k = n1 - n0;
                Tensor g2 = channelsFirst(g, gd.slice(0, n0, n1), go, k);
                Tensor c = prefix(cols, g.patch(), k * g.pixels());
                cuda.gemm(1, w2.mT(), g2, 0, c);
                Tensor chunk = gxd.slice(0, n0, n1);
                cuda.launch("col2im", gx.dtype(), chunk.numel(), args(g, chunk, c, k, chunk.numel()));
            }
            finish(gxd, gx);
        }
    }

    void backwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        ConvGeometry g = ConvGeometry.backwardWeight(gOut, x, spec, gw, gBias);
        try (Scope s = Scope.open(hostPool)) {
            Tensor gd = cuda.place(gOut, s), xd = cuda.place(x, s);
            Tensor gw2 = cuda.empty(s, gw.dtype(), g.o(), g.patch());
            cuda.fill(gw2, 0); // no samples: zero gradients
            int nc = chunk(g);
            Tensor cols = cuda.empty(s, x.dtype(), Math.toIntExact((long) g.patch() * nc * g.pixels()));
            Tensor go = cuda.empty(s, x.dtype(), Math.toIntExact((long) g.o() * nc * g.pixels()));
            for (int n0 = 0; n0 < g.n() && g.pixels() > 0; n0 += nc) {
                int n1 = Math.min(g.n(), n0 + nc), k = n1 - n0;
                Tensor c = lower(g, xd.slice(0, n0, n1), cols, k);
                Tensor g2 = channelsFirst(g, gd.slice(0, n0, n1), go, k);
                cuda.gemm(1, g2, c.mT(), n0 == 0 ? 0 : 1, gw2);
            }
            cuda.copy(gw2.reshape(gw.shape()), gw);
            if (gBias != null) {
                Tensor b = target(gBias, s);
                cuda.reduce(ReduceOp.SUM, gd, b.unsqueeze(0).unsqueeze(2).unsqueeze(3));
                finish(b, gBias);
            }
        }
    }

    /** Samples per chunk: as many as fit {@link #colsLimit}, at least one. */
    private int chunk(ConvGeometry g) {
        long perSample = Math.max(1, (long) g.patch() * g.pixels());
        return (int) Math.max(1, Math.min(g.n(), colsLimit / perSample));
    }

    /** The weights as a contiguous device matrix [O, C·kh·kw]. */
    private Tensor matrix(Tensor w, Scope s) {
        Tensor d = cuda.place(w, s);
        if (!d.isContiguous()) {
            Tensor c = cuda.empty(s, w.dtype(), w.shape());
            cuda.copy(d, c);
            d = c;
        }
        return d.reshape(w.dim(0), -1);
    }

    /** im2col of k samples of xs into the first P·k·L elements of cols, as a [P, k·L] matrix. */
    private Tensor lower(ConvGeometry g, Tensor xs, Tensor cols, int k) {
        Tensor c = prefix(cols, g.patch(), k * g.pixels());
        cuda.launch("im2col", xs.dtype(), c.numel(), args(g, xs, c, k, c.numel()));
        return c;
    }

    /** gOut's k samples [k, O, Ho, Wo] copied to [O, k·L] (channel-major, as the GEMMs take it). */
    private Tensor channelsFirst(ConvGeometry g, Tensor gs, Tensor buffer, int k) {
        Tensor g2 = prefix(buffer, g.o(), k * g.pixels());
        cuda.copy(gs.permute(1, 0, 2, 3), g2.reshape(g.o(), k, g.ho(), g.wo()));
        return g2;
    }

    /** The first rows·cols elements of a contiguous buffer as a [rows, cols] matrix. */
    private static Tensor prefix(Tensor buffer, int rows, int cols) {
        return buffer.slice(0, 0, Math.toIntExact((long) rows * cols)).reshape(rows, cols);
    }

    private KernelArgs args(ConvGeometry g, Tensor image, Tensor cols, int k, long work) {
        return new KernelArgs().i64(work).i64(k).i64(g.c()).i64(g.h()).i64(g.w()).i64(g.kh()).i64(g.kw())
                .i64(g.strideH()).i64(g.strideW()).i64(g.padH()).i64(g.padW()).i64(g.ho()).i64(g.wo())
                .i64s(image.strides(), 4).ptr(CudaBackend.rawAddress(image)).ptr(CudaBackend.rawAddress(cols));
    }

    /** Where a result is computed: the tensor itself on the device, else a device twin copied back by {@link #finish}. */
    private Tensor target(Tensor t, Scope s) {
        return t.onDevice() ? t : cuda.empty(s, t.dtype(), t.shape());
    }

    private void finish(Tensor computed, Tensor result) {
        if (computed != result) {
            cuda.copy(computed, result);
        }
    }

    @Override
    public void close() {
        hostPool.close();
    }
}
