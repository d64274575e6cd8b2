package optlab.optim.internal;

import java.lang.foreign.MemorySegment;
import optlab.tensor.Tensor;
import optlab.tensor.simd.VectorSupport;

/**
 * Entry points of the gradient-flow integrators' loops ({@code FlowKernelF32/F64}) over contiguous tensors of
 * one dtype and length: pick the dtype's kernel and split long blocks over cores as {@link Kernels} does (every
 * element is independent; partial sums combine in chunk order, so results do not depend on the split).
 */
public final class FlowKernels {
    private FlowKernels() {
    }

    /** dst = src, raw bytes (same dtype and length, both contiguous). */
    public static void copy(Tensor dst, Tensor src) {
        int bytes = src.dtype().byteSize();
        MemorySegment.copy(src.segment(), src.offset() * bytes, dst.segment(), dst.offset() * bytes, src.numel() * bytes);
    }

    /** {@link #combine(Team, Tensor, double[], Tensor...)} on the calling thread. */
    public static void combine(Tensor out, double[] c, Tensor... v) {
        combine(Team.CALLER, out, c, v);
    }

    /** out = Σ_j c[j]·v[j] (fma in input order); out may be v[0], no other input (a later pass would read a sum). */
    public static void combine(Team team, Tensor out, double[] c, Tensor... v) {
        VectorSupport.require("the integrators' update loops");
        if (c.length != v.length || c.length == 0) {
            throw new IllegalArgumentException("combine: " + c.length + " coefficients for " + v.length + " vectors");
        }
        for (int j = 1; j < v.length; j++) {
            if (v[j] == out) {
                throw new IllegalArgumentException("combine: the output may only be the first input, it is input " + j);
            }
        }
        long n = out.numel();
        MemorySegment[] seg = segments(v);
        long[] off = byteOffsets(v);
        int bytes = out.dtype().byteSize();
        MemorySegment o = out.segment();
        long oOff = out.offset() * bytes;
        if (n < Kernels.PARALLEL_MIN) {
            combineRange(out, o, oOff, c, seg, off, 0, n);
            return;
        }
        int chunks = (int) ((n + Kernels.CHUNK - 1) / Kernels.CHUNK);
        team.forEach(chunks, ch ->
                combineRange(out, o, oOff, c, seg, off, ch * Kernels.CHUNK, Math.min(n, (ch + 1) * Kernels.CHUNK)));
    }

    private static void combineRange(Tensor out, MemorySegment o, long oOff, double[] c, MemorySegment[] seg,
            long[] off, long from, long to) {
        int bytes = out.dtype().byteSize();
        long[] shifted = new long[off.length];
        for (int j = 0; j < off.length; j++) {
            shifted[j] = off[j] + from * bytes;
        }
        switch (out.dtype()) {
            case F32 -> FlowKernelF32.combine(o, oOff + from * bytes, c, seg, shifted, to - from);
            case F64 -> FlowKernelF64.combine(o, oOff + from * bytes, c, seg, shifted, to - from);
        }
    }

    /** What one fused chain-stage pass writes (see {@code FlowKernelF32.stage}). */
    public enum StageMode { FIRST, NEXT, LAST_DIRECTION, FIRST_END, PAIR_FIRST, LAST_END }

    /**
     * One fused pass of a chain Runge–Kutta stage: p (the parameters), w0 (w_t), d (the running end point, or the
     * direction with momentum) and g (f(y_i)), all contiguous of one dtype and length, w0, d and g distinct from p;
     * b = the stage's weight, a = the next point's −h·a_{i+1,i}. With the direction: FIRST: w0 = p, d = b·g,
     * p += a·g; NEXT: d += b·g, p = w0 + a·g; LAST_DIRECTION: d += b·g, p = w0. With the end point (b = −h·b_i):
     * FIRST_END: w0 = p, d = p + b·g, p += a·g; NEXT as above; LAST_END: p = d + b·g. PAIR_FIRST is FIRST_END
     * without w0 (two stages; w0 is not read: pass d).
     */
    public static void stage(Team team, StageMode mode, Tensor p, Tensor w0, Tensor d, Tensor g, double b, double a) {
        VectorSupport.require("the integrators' update loops");
        long n = p.numel();
        for (Tensor t : new Tensor[] {w0, d, g}) {
            if (t.numel() != n || t.dtype() != p.dtype() || t == p) {
                throw new IllegalArgumentException("stage: " + t + " against the parameters " + p);
            }
        }
        if (n < Kernels.PARALLEL_MIN) {
            stageRange(mode, p, w0, d, g, b, a, 0, n);
            return;
        }
        int chunks = (int) ((n + Kernels.CHUNK - 1) / Kernels.CHUNK);
        team.forEach(chunks, ch ->
                stageRange(mode, p, w0, d, g, b, a, ch * Kernels.CHUNK, Math.min(n, (ch + 1) * Kernels.CHUNK)));
    }

    private static void stageRange(StageMode mode, Tensor p, Tensor w0, Tensor d, Tensor g, double b, double a,
            long from, long to) {
        int bytes = p.dtype().byteSize();
        long pOff = (p.offset() + from) * bytes, wOff = (w0.offset() + from) * bytes;
        long dOff = (d.offset() + from) * bytes, gOff = (g.offset() + from) * bytes;
        switch (p.dtype()) {
            case F32 -> FlowKernelF32.stage(mode, p.segment(), pOff, w0.segment(), wOff, d.segment(), dOff, g.segment(),
                    gOff, b, a, to - from);
            case F64 -> FlowKernelF64.stage(mode, p.segment(), pOff, w0.segment(), wOff, d.segment(), dOff, g.segment(),
                    gOff, b, a, to - from);
        }
    }

    /** {@link #scaledErrorSquares(Team, Tensor, Tensor, double[], Tensor[], double, double)} on the calling thread. */
    public static double scaledErrorSquares(Tensor w, Tensor y, double[] c, Tensor[] k, double atol, double rtol) {
        return scaledErrorSquares(Team.CALLER, w, y, c, k, atol, rtol);
    }

    /**
     * Σ_i (e_i / (atol + rtol·max(|w_i|, |y_i|)))² with e = Σ_j c[j]·k[j]: the squared scaled error of an
     * embedded Runge–Kutta pair between the start w and the proposal y (scipy's solve_ivp norm, before its RMS).
     */
    public static double scaledErrorSquares(Team team, Tensor w, Tensor y, double[] c, Tensor[] k, double atol,
            double rtol) {
        VectorSupport.require("the integrators' update loops");
        long n = w.numel();
        MemorySegment[] seg = segments(k);
        long[] off = byteOffsets(k);
        if (n < Kernels.PARALLEL_MIN) {
            return errorRange(w, y, c, seg, off, atol, rtol, 0, n);
        }
        int chunks = (int) ((n + Kernels.CHUNK - 1) / Kernels.CHUNK);
        double[] partial = new double[chunks];
        team.forEach(chunks, ch -> partial[ch] = errorRange(w, y, c, seg, off, atol, rtol,
                ch * Kernels.CHUNK, Math.min(n, (ch + 1) * Kernels.CHUNK)));
        double total = 0;
        for (double x : partial) {
            total += x;
        }
        return total;
    }

    private static double errorRange(Tensor w, Tensor y, double[] c, MemorySegment[] seg, long[] off, double atol,
            double rtol, long from, long to) {
        int bytes = w.dtype().byteSize();
        long[] shifted = new long[off.length];
        for (int j = 0; j < off.length; j++) {
            shifted[j] = off[j] + from * bytes;
        }
        long wOff = (w.offset() + from) * bytes, yOff = (y.offset() + from) * bytes;
        return switch (w.dtype()) {
            case F32 -> FlowKernelF32.scaledErrorSquares(w.segment(), wOff, y.segment(), yOff, c, seg, shifted, to - from,
                    atol, rtol);
            case F64 -> FlowKernelF64.scaledErrorSquares(w.segment(), wOff, y.segment(), yOff, c, seg, shifted, to - from,
                    atol, rtol);
        };
    }

    private static MemorySegment[] segments(Tensor[] v) {
        MemorySegment[] seg = new MemorySegment[v.length];
        for (int j = 0; j < v.length; j++) {
            seg[j] = v[j].segment();
        }
        return seg;
    }

    private static long[] byteOffsets(Tensor[] v) {
        long[] off = new long[v.length];
        for (int j = 0; j < v.length; j++) {
            off[j] = v[j].offset() * v[j].dtype().byteSize();
        }
        return off;
    }
}
