package optlab.tensor.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.internal.Checks;
import optlab.tensor.internal.ReduceChecks;

/**
 * Softmax, log-softmax, their backward rules and the fused losses. Each works fiber by fiber
 * ({@link Fibers}) along the axis: contiguous fibers (the last axis) go to the SoftmaxF32/SoftmaxF64
 * row kernels; an earlier axis of contiguous tensors (channels of [N, C, H, W]) to their column
 * kernels, vectorized across the axes after it; other views to the scalar loops here (in double).
 */
final class CpuSoftmax {
    private CpuSoftmax() {
    }

    static void softmax(Parallel parallel, Tensor x, int axis, Tensor out) {
        forward("softmax", parallel, x, axis, out, false);
    }

    static void logSoftmax(Parallel parallel, Tensor x, int axis, Tensor out) {
        forward("logSoftmax", parallel, x, axis, out, true);
    }

    private static void forward(String op, Parallel parallel, Tensor x, int axis, Tensor out, boolean log) {
        Checks.sameDType(op, x, out);
        ReduceChecks.sameShapes(op, new String[] {"x", "out"}, x, out);
        int a = x.axis(axis);
        Fibers f = Fibers.along(a, x, out, null);
        MemorySegment xs = x.segment(), os = out.segment();
        boolean f32 = x.dtype() == DType.F32;
        long n = f.len, inner = innerBlock(a, x, out);
        if (!f.contiguous && inner > 0) {
            long xo = x.offset(), oo = out.offset();
            columnBlocks(parallel, x, a, inner, (rel, w) -> {
                if (f32) {
                    SoftmaxF32.softmaxColumns(xs, xo + rel, os, oo + rel, n, inner, w, log);
                } else {
                    SoftmaxF64.softmaxColumns(xs, xo + rel, os, oo + rel, n, inner, w, log);
                }
            });
            return;
        }
        Fibers.Body body;
        if (!f.contiguous) {
            body = (i, xo, oo, u) -> stridedForward(x.dtype(), xs, xo, f.stride0, os, oo, f.stride1, n, log);
        } else if (log) {
            body = f32 ? (i, xo, oo, u) -> logSoftmaxF32(xs, xo, os, oo, n) : (i, xo, oo, u) -> logSoftmaxF64(xs, xo, os, oo, n);
        } else {
            body = f32 ? (i, xo, oo, u) -> softmaxF32(xs, xo, os, oo, n) : (i, xo, oo, u) -> softmaxF64(xs, xo, os, oo, n);
        }
        f.run(parallel, body);
    }

    static void softmaxBackward(Parallel parallel, Tensor y, Tensor gy, int axis, Tensor gx) {
        backward("softmaxBackward", parallel, y, gy, axis, gx, false);
    }

    static void logSoftmaxBackward(Parallel parallel, Tensor y, Tensor gy, int axis, Tensor gx) {
        backward("logSoftmaxBackward", parallel, y, gy, axis, gx, true);
    }

    private static void backward(String op, Parallel parallel, Tensor y, Tensor gy, int axis, Tensor gx, boolean log) {
        Checks.sameDType(op, y, gy, gx);
        ReduceChecks.sameShapes(op, new String[] {"y", "gy", "gx"}, y, gy, gx);
        int a = y.axis(axis);
        Fibers f = Fibers.along(a, y, gy, gx);
        MemorySegment ys = y.segment(), gs = gy.segment(), xs = gx.segment();
        boolean f32 = y.dtype() == DType.F32;
        long n = f.len, inner = innerBlock(a, y, gy, gx);
        if (!f.contiguous && inner > 0) {
            long yo = y.offset(), go = gy.offset(), xo = gx.offset();
            columnBlocks(parallel, y, a, inner, (rel, w) -> {
                if (f32) {
                    SoftmaxF32.backwardColumns(ys, yo + rel, gs, go + rel, xs, xo + rel, n, inner, w, log);
                } else {
                    SoftmaxF64.backwardColumns(ys, yo + rel, gs, go + rel, xs, xo + rel, n, inner, w, log);
                }
            });
            return;
        }
        Fibers.Body body;
        if (!f.contiguous) {
            body = (i, yo, go, xo) -> stridedBackward(y.dtype(), ys, yo, f.stride0, gs, go, f.stride1, xs, xo, f.stride2,
                    n, log);
        } else if (log) {
            body = f32 ? (i, yo, go, xo) -> logBackwardF32(ys, yo, gs, go, xs, xo, n)
                    : (i, yo, go, xo) -> logBackwardF64(ys, yo, gs, go, xs, xo, n);
        } else {
            body = f32 ? (i, yo, go, xo) -> backwardF32(ys, yo, gs, go, xs, xo, n)
                    : (i, yo, go, xo) -> backwardF64(ys, yo, gs, go, xs, xo, n);
        }
        f.run(parallel, body);
    }

    /**
     * Loss = mean over rows of log Σ exp(x) − x[label], or Σ p (log Σ exp(x) − x) for probabilities.
     * The gradient is (softmax − target) / N as the Backend contract states: the exact derivative when
     * each probability row sums to 1 (one-hot, label smoothing), not otherwise.
     */
    static double crossEntropy(Parallel parallel, Tensor logits, Tensor target, Tensor grad) {
        ReduceChecks.crossEntropy(logits, target, grad);
        int n = logits.dim(0), c = logits.dim(1);
        boolean labels = target.rank() == 1;
        if (labels) {
            checkLabels("crossEntropy", target, c);
        }
        DType dt = logits.dtype();
        Fibers f = Fibers.along(1, logits, labels ? null : target, grad);
        MemorySegment ls = logits.segment(), ps = target.segment(), gs = grad == null ? null : grad.segment();
        double invN = 1.0 / n;
        long tOff = target.offset(), tStride = labels ? target.stride(0) : 0;
        boolean f32 = dt == DType.F32;
        Fibers.Body body = (i, lo, po, go) -> {
            int label = labels ? (int) dt.get(ps, tOff + i * tStride) : -1;
            if (!f.contiguous) {
                return stridedCrossEntropy(dt, ls, lo, f.stride0, c, label, ps, po, f.stride1, gs, go, f.stride2, invN);
            }
            return f32 ? SoftmaxF32.crossEntropy(ls, lo, c, label, ps, po, gs, go, invN)
                    : SoftmaxF64.crossEntropy(ls, lo, c, label, ps, po, gs, go, invN);
        };
        return f.run(parallel, body) * invN;
    }

    static double mse(Parallel parallel, Tensor a, Tensor b, Tensor grad) {
        String op = "mse";
        Checks.sameDType(op, a, b, grad);
        ReduceChecks.sameShapes(op, new String[] {"a", "b", "grad"}, a, b, grad);
        long n = a.numel();
        if (n == 0) {
            return Double.NaN; // mean of no elements, as torch
        }
        if (a.rank() == 0) {
            return mse(parallel, a.unsqueeze(0), b.unsqueeze(0), grad == null ? null : grad.unsqueeze(0));
        }
        double scale = 2.0 / n;
        boolean f32 = a.dtype() == DType.F32;
        MemorySegment as = a.segment(), bs = b.segment(), gs = grad == null ? null : grad.segment();
        if (a.isContiguous() && b.isContiguous() && (grad == null || grad.isContiguous())) {
            // One flat run, cut into pieces of at least GRAIN elements.
            long ao = a.offset(), bo = b.offset(), go = grad == null ? 0 : grad.offset();
            int tasks = (int) Math.max(1, Math.min(n / CpuReduce.GRAIN, 4L * parallel.threads()));
            double[] sums = new double[tasks];
            parallel.forEach(tasks, t -> {
                long i0 = n * t / tasks, len = n * (t + 1) / tasks - i0;
                sums[t] = f32 ? SoftmaxF32.squaredError(as, ao + i0, bs, bo + i0, gs, go + i0, len, scale)
                        : SoftmaxF64.squaredError(as, ao + i0, bs, bo + i0, gs, go + i0, len, scale);
            });
            return Arrays.stream(sums).sum() / n;
        }
        Fibers f = Fibers.along(a.rank() - 1, a, b, grad);
        DType dt = a.dtype();
        long len = f.len;
        Fibers.Body body = f.contiguous
                ? (f32 ? (i, ao, bo, go) -> SoftmaxF32.squaredError(as, ao, bs, bo, gs, go, len, scale)
                        : (i, ao, bo, go) -> SoftmaxF64.squaredError(as, ao, bs, bo, gs, go, len, scale))
                : (i, ao, bo, go) -> {
                    double s = 0;
                    for (long k = 0; k < len; k++) {
                        double d = dt.get(as, ao + k * f.stride0) - dt.get(bs, bo + k * f.stride1);
                        s += d * d;
                        if (gs != null) {
                            dt.set(gs, go + k * f.stride2, scale * d);
                        }
                    }
                    return s;
                };
        return f.run(parallel, body) / n;
    }

    /** Columns per unit of the column-block path: a few KB of per-thread rows. */
    private static final int COLUMN_CHUNK = 512;

    /** What to do with columns [rel, rel + w) of every row of one block (offsets relative to each tensor). */
    @FunctionalInterface
    private interface ColumnBody {
        void run(long rel, int w);
    }

    /**
     * The size of the block of axes after {@code axis} when all tensors are contiguous and that block
     * has more than one element (the axis then has stride inner); 0 otherwise.
     */
    private static long innerBlock(int axis, Tensor... ts) {
        for (Tensor t : ts) {
            if (!t.isContiguous()) {
                return 0;
            }
        }
        int[] shape = ts[0].shape();
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return inner > 1 ? inner : 0;
    }

    /** Runs body over [outer, len, inner] blocks cut into column chunks, split over threads. */
    private static void columnBlocks(Parallel parallel, Tensor t, int axis, long inner, ColumnBody body) {
        long len = t.dim(axis), outer = len * inner == 0 ? 0 : t.numel() / (len * inner);
        long chunks = (inner + COLUMN_CHUNK - 1) / COLUMN_CHUNK, units = outer * chunks;
        int tasks = (int) Math.max(1, Math.min(units, Math.min(t.numel() / CpuReduce.GRAIN, 4L * parallel.threads())));
        parallel.forEach(tasks, k -> {
            for (long u = units * k / tasks, end = units * (k + 1) / tasks; u < end; u++) {
                long c0 = (u % chunks) * COLUMN_CHUNK;
                body.run(u / chunks * len * inner + c0, (int) Math.min(COLUMN_CHUNK, inner - c0));
            }
        });
    }

    /** Class indices must be integers in [0, c); names the first offending row. */
    private static void checkLabels(String op, Tensor target, int c) {
        for (int i = 0, n = target.dim(0); i < n; i++) {
            double v = target.get(i);
            if (!(v >= 0 && v < c && v == Math.rint(v))) {
                throw new IllegalArgumentException(op + ": target[" + i + "] = " + v + " is not a class index in [0, "
                        + c + ") (target " + Checks.describe(target) + ")");
            }
        }
    }

    // ------------------------------------------------------------------ dtype dispatch (returning 0 for Fibers)

    private static double softmaxF32(MemorySegment x, long xo, MemorySegment o, long oo, long n) {
        SoftmaxF32.softmax(x, xo, o, oo, n);
        return 0;
    }

    private static double softmaxF64(MemorySegment x, long xo, MemorySegment o, long oo, long n) {
        SoftmaxF64.softmax(x, xo, o, oo, n);
        return 0;
    }

    private static double logSoftmaxF32(MemorySegment x, long xo, MemorySegment o, long oo, long n) {
        SoftmaxF32.logSoftmax(x, xo, o, oo, n);
        return 0;
    }

    private static double logSoftmaxF64(MemorySegment x, long xo, MemorySegment o, long oo, long n) {
        SoftmaxF64.logSoftmax(x, xo, o, oo, n);
        return 0;
    }

    private static double backwardF32(MemorySegment y, long yo, MemorySegment g, long go, MemorySegment x, long xo, long n) {
        SoftmaxF32.softmaxBackward(y, yo, g, go, x, xo, n);
        return 0;
    }

    private static double backwardF64(MemorySegment y, long yo, MemorySegment g, long go, MemorySegment x, long xo, long n) {
        SoftmaxF64.softmaxBackward(y, yo, g, go, x, xo, n);
        return 0;
    }

    private static double logBackwardF32(MemorySegment y, long yo, MemorySegment g, long go, MemorySegment x, long xo,
            long n) {
        SoftmaxF32.logSoftmaxBackward(y, yo, g, go, x, xo, n);
        return 0;
    }

    private static double logBackwardF64(MemorySegment y, long yo, MemorySegment g, long go, MemorySegment x, long xo,
            long n) {
        SoftmaxF64.logSoftmaxBackward(y, yo, g, go, x, xo, n);
        return 0;
    }

    // ------------------------------------------------------------------ strided fibers (scalar, in double)

    private static double stridedForward(DType dt, MemorySegment x, long xo, long xs, MemorySegment o, long oo, long os,
            long n, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (long k = 0; k < n; k++) {
            max = Math.max(max, dt.get(x, xo + k * xs));
        }
        double sum = 0;
        for (long k = 0; k < n; k++) {
            sum += Math.exp(dt.get(x, xo + k * xs) - max);
        }
        double lse = max + Math.log(sum);
        for (long k = 0; k < n; k++) {
            double v = dt.get(x, xo + k * xs) - lse;
            dt.set(o, oo + k * os, log ? v : Math.exp(v));
        }
        return 0;
    }

    private static double stridedBackward(DType dt, MemorySegment y, long yo, long ys, MemorySegment g, long go, long gs,
            MemorySegment x, long xo, long xs, long n, boolean log) {
        double s = 0;
        for (long k = 0; k < n; k++) {
            double gk = dt.get(g, go + k * gs);
            s += log ? gk : gk * dt.get(y, yo + k * ys);
        }
        for (long k = 0; k < n; k++) {
            double yk = dt.get(y, yo + k * ys), gk = dt.get(g, go + k * gs);
            dt.set(x, xo + k * xs, log ? gk - Math.exp(yk) * s : yk * (gk - s));
        }
        return 0;
    }

    private static double stridedCrossEntropy(DType dt, MemorySegment l, long lo, long ls, long c, int label,
            MemorySegment p, long po, long ps, MemorySegment g, long go, long gs, double invN) {
        double max = Double.NEGATIVE_INFINITY;
        for (long k = 0; k < c; k++) {
            max = Math.max(max, dt.get(l, lo + k * ls));
        }
        double sum = 0;
        for (long k = 0; k < c; k++) {
            sum += Math.exp(dt.get(l, lo + k * ls) - max);
        }
        double lse = max + Math.log(sum), loss = 0;
        for (long k = 0; k < c; k++) {
            double xk = dt.get(l, lo + k * ls);
            double t = label >= 0 ? (k == label ? 1 : 0) : dt.get(p, po + k * ps);
            loss += t * (lse - xk);
            if (g != null) {
                dt.set(g, go + k * gs, (Math.exp(xk - lse) - t) * invN);
            }
        }
        return loss;
    }
}
