package optlab.tensor.cpu;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.cpu.Workspace.Slot;
import optlab.tensor.internal.DistanceShapes;

/**
 * Pairwise weighted squared distances (the Gaussian distance layer's core) and their gradients,
 * summed directly over d by vector loops ({@link DistanceF32}, {@link DistanceF64}).
 *
 * <p>Why not the GEMM expansion Σ w·x² − 2·x·(w∘c)ᵀ + Σ w·c²: its terms are as large as ‖x‖² while
 * the result can be tiny, so when x is near a centroid — where a Gaussian unit is most active — the
 * difference of large numbers loses most significant digits. Measured in F32 against an F64 oracle
 * (DistanceTest's {@code closeDistancesKeepRelativePrecision}: D = 64, x = c + uniform(±1e-3) noise,
 * distances ~2e-5 beside ‖x‖² ~ 20): worst relative error 0.55 for the expansion, 1.1e-7 for the
 * direct sum. (The expansion can also go negative and would need a clamp.) The gradients reduce to
 * GEMMs the same way and cancel the same way. The direct sum is never negative for non-negative
 * weights and needs no clamp and no temporaries, at 3 flops per term instead of 2. On the distance
 * layer's realistic inputs (DistanceLayerTest's {@code realisticAccuracyOfDirectSumAndExpansion}: N = M =
 * 100, inputs in [0, 1], C ~ U[0.5, 0.8], w = Θ² with the authors' init, F32 against F64) the gap is
 * smaller but still 1.3 to 35x in the expansion's disfavour: worst relative error of z 1.8e-7 to 4.4e-7
 * direct (512- to 128-bit vectors) against 3.5e-7 (MNIST-like pixels, D = 784), 3.7e-6 (first-layer
 * activations, D = 100) and 6.3e-6 (uniform inputs, D = 784) for the expansion through F32 GEMMs; in
 * the activations exp(−z/2): ≤ 1.0e-7 direct against up to 1.4e-6.
 *
 * <p>Work splits over rows of x for the output and gx, over centroids for gc and gw (each output row
 * belongs to one task). Inputs or outputs with non-unit stride along D are staged in the workspace.
 */
final class CpuDistance {
    /**
     * The forward's largest D with lanes along m. Lanes along d end each (n, m) pair with a sum across lanes, a
     * cost that rivals the pair's D / L vector steps at small D (100 → 100, batch 100: 0.19 ms against 0.06 ms along
     * m, one thread); along m, packing c and w costs about 1/N of the work (784 → 100: 0.52 ms against 0.32 along d).
     */
    static final int ALONG_M_MAX_D = 256;

    /**
     * Row ranges per thread of the forward with lanes along d ({@link #forRowChunks}). Each range streams all
     * centroids from L3 once: interleaved in one JVM, 784 → 1000 at batch 256 on two threads, a layer step took
     * 7.70 ms with one range per thread, 7.88 with two and 8.03 with four; two keep most of the balancing.
     */
    static final int CHUNKS_PER_THREAD = 2;

    /** Multiply-adds per task, at least. */
    private static final long TASK_MIN = 1L << 15;

    private CpuDistance() {
    }

    static void pairwiseSqDist(CpuBackend backend, Tensor x, Tensor c, Tensor w, Tensor out) {
        DistanceShapes s = DistanceShapes.forward(x, c, w, out);
        Workspace ws = backend.workspace();
        Tensor xu = unitRows(ws, Slot.DIST_X, x, true), cu = unitRows(ws, Slot.DIST_C, c, true);
        Tensor wu = unitRows(ws, Slot.DIST_W, w, true);
        boolean f32 = x.dtype() == DType.F32;
        if (s.d() > ALONG_M_MAX_D) {
            // Without weights, ones broadcast over the rows: the kernel's loop has no branch (merging two vectors
            // in a loop costs more than the multiply by 1).
            Tensor wd = wu != null ? wu : ones(backend, x.dtype(), s.d()).broadcastTo(s.m(), s.d());
            int lanes = f32 ? DistanceF32.lanes() : DistanceF64.lanes();
            Tensor tails = null;
            if (s.d() >= lanes && s.d() % lanes != 0) {
                tails = ws.tensor(Slot.DIST_CT, x.dtype(), s.m(), lanes);
                if (f32) {
                    DistanceF32.maskTails(wd, tails);
                } else {
                    DistanceF64.maskTails(wd, tails);
                }
            }
            Tensor wt = tails;
            // A few ranges of rows per thread: the kernel passes each L2 block of centroids over all rows of its range.
            forRowChunks(backend, s.n(), (long) s.m() * s.d(), (n0, n1) -> {
                if (f32) {
                    DistanceF32.forwardAlongD(xu, cu, wd, wt, out, n0, n1);
                } else {
                    DistanceF64.forwardAlongD(xu, cu, wd, wt, out, n0, n1);
                }
            });
            return;
        }
        // Lanes along m: c and w packed in blocks of centroids, [⌈M / block⌉, D, block], zero past M.
        int block = f32 ? DistanceF32.M_BLOCK : DistanceF64.M_BLOCK;
        int packed = Math.max(1, (s.m() + block - 1) / block * block * s.d());
        Tensor ct = ws.tensor(Slot.DIST_CT, x.dtype(), packed);
        Tensor wt = w == null ? null : ws.tensor(Slot.DIST_WT, x.dtype(), packed);
        Tensor ou = out.dim(1) <= 1 || out.stride(1) == 1 ? out : ws.tensor(Slot.DIST_OUT, out.dtype(), out.shape());
        pack(backend, cu, ct, block);
        if (wt != null) {
            pack(backend, wu, wt, block);
        }
        forRanges(backend, s.n(), (long) s.m() * s.d(), (n0, n1) -> {
            if (f32) {
                DistanceF32.forwardAlongM(xu, ct, wt, ou, n0, n1);
            } else {
                DistanceF64.forwardAlongM(xu, ct, wt, ou, n0, n1);
            }
        });
        if (ou != out) {
            out.copyFrom(ou);
        }
    }

    static void backward(CpuBackend backend, Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        DistanceShapes s = DistanceShapes.backward(g, x, c, w, gx, gc, gw);
        if (gx == null && gc == null && gw == null) {
            return;
        }
        Workspace ws = backend.workspace();
        Tensor xu = unitRows(ws, Slot.DIST_X, x, true), cu = unitRows(ws, Slot.DIST_C, c, true);
        Tensor wu = unitRows(ws, Slot.DIST_W, w, true);
        boolean f32 = x.dtype() == DType.F32;
        if (gx != null) {
            Tensor gxu = unitRows(ws, Slot.DIST_GX, gx, false);
            forRanges(backend, s.n(), (long) s.m() * s.d(), (n0, n1) -> {
                if (f32) {
                    DistanceF32.gradX(g, xu, cu, wu, gxu, n0, n1);
                } else {
                    DistanceF64.gradX(g, xu, cu, wu, gxu, n0, n1);
                }
            });
            if (gxu != gx) {
                gx.copyFrom(gxu);
            }
        }
        if (gc != null || gw != null) {
            Tensor gcu = unitRows(ws, Slot.DIST_GC, gc, false), gwu = unitRows(ws, Slot.DIST_GW, gw, false);
            forRanges(backend, s.m(), (long) s.n() * s.d(), f32 ? DistanceF32.WIDE_TILE : DistanceF64.WIDE_TILE, (m0, m1) -> {
                if (f32) {
                    DistanceF32.gradCW(g, xu, cu, wu, gcu, gwu, m0, m1);
                } else {
                    DistanceF64.gradCW(g, xu, cu, wu, gcu, gwu, m0, m1);
                }
            });
            if (gcu != gc) {
                gc.copyFrom(gcu);
            }
            if (gwu != gw) {
                gw.copyFrom(gwu);
            }
        }
    }

    /**
     * dst [⌈M / block⌉·D·block] = src [M, D] in blocks of {@code block} centroids, block b the contiguous [D, block]
     * transpose of rows b·block… (the backend's tiled transposing copy), zero past M. Contiguous blocks, as GEMM
     * packs its panels: a plain transpose [D, M] would put each d of a block a power-of-two stride apart (4 KB at
     * M = 1000), all in one L1 set.
     */
    private static void pack(CpuBackend backend, Tensor src, Tensor dst, int block) {
        int m = src.dim(0), d = src.dim(1);
        for (int b = 0; b * block < m; b++) {
            int rows = Math.min(block, m - b * block);
            Tensor to = dst.slice(0, b * d * block, (b + 1) * d * block).reshape(d, block);
            backend.copy(src.slice(0, b * block, b * block + rows).mT(), to.slice(1, 0, rows));
            if (rows < block) {
                backend.fill(to.slice(1, rows, block), 0);
            }
        }
    }

    /** [1, d] of ones from the workspace. */
    private static Tensor ones(CpuBackend backend, DType dtype, int d) {
        Tensor t = backend.workspace().tensor(Slot.DIST_WT, dtype, 1, d);
        backend.fill(t, 1);
        return t;
    }

    /**
     * t itself when its rows are unit-stride (or null, or D ≤ 1), else a contiguous workspace tensor of
     * its shape, holding a copy of t when {@code read}.
     */
    private static Tensor unitRows(Workspace ws, Slot slot, Tensor t, boolean read) {
        if (t == null || t.dim(1) <= 1 || t.stride(1) == 1) {
            return t;
        }
        Tensor u = ws.tensor(slot, t.dtype(), t.shape());
        if (read) {
            u.copyFrom(t);
        }
        return u;
    }

    private interface Range {
        void run(int start, int end);
    }

    /**
     * Splits [0, count) into ranges of whole {@link DistanceF32#ROWS}-row blocks, {@link #CHUNKS_PER_THREAD} per
     * thread (one on one thread; fewer when a range would be worth under {@link #TASK_MIN} multiply-adds at
     * {@code perItem} each), and runs them over the team. Each range streams all centroids once, so few and
     * large; but more than one per thread, so that a thread slowed by the rest of the machine hands its last
     * ranges to the others (one static range per thread made the whole call wait for the slower one).
     */
    private static void forRowChunks(CpuBackend backend, int count, long perItem, Range body) {
        if (count == 0) {
            return;
        }
        int block = DistanceF32.ROWS, threads = backend.threads();
        long least = Math.max(1, TASK_MIN / Math.max(1, perItem));
        int wanted = threads == 1 ? 1 : threads * CHUNKS_PER_THREAD;
        int tasks = (int) Math.max(1, Math.min(wanted, count / least));
        int size = ((count + tasks - 1) / tasks + block - 1) / block * block;
        int ranges = (count + size - 1) / size;
        backend.parallel().forEach(ranges, t -> body.run(t * size, Math.min(count, (t + 1) * size)));
    }

    /**
     * Splits [0, count) into ranges of whole {@link DistanceF32#ROWS}-row blocks worth at least
     * {@link #TASK_MIN} multiply-adds at {@code perItem} each, and runs them over the team.
     */
    private static void forRanges(CpuBackend backend, int count, long perItem, Range body) {
        forRanges(backend, count, perItem, DistanceF32.ROWS, body);
    }

    /** {@link #forRanges} in whole blocks of {@code block} items. */
    private static void forRanges(CpuBackend backend, int count, long perItem, int block, Range body) {
        long items = Math.max(block, TASK_MIN / Math.max(1, perItem));
        int size = (int) Math.min(count, (items + block - 1) / block * block);
        if (size == 0) {
            return;
        }
        int tasks = (count + size - 1) / size;
        backend.parallel().forEach(tasks, t -> body.run(t * size, Math.min(count, (t + 1) * size)));
    }
}
