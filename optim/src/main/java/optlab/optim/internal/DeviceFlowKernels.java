package optlab.optim.internal;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;
import optlab.tensor.update.HostUpdate;
import optlab.tensor.update.UpdateStage;

/**
 * The integrators' and gradient clipping's loops ({@link FlowKernels}, {@link Kernels}) for blocks in device memory,
 * from a device {@link Backend}'s own ops: copy, scalar and binary ops, clamp, reduce, and {@link Backend#update}
 * with no stages as the fused multiply-add p = fma(u, −lr, p). Each pass is a launch over the whole block and does
 * what the host loops do per element in the same IEEE operations: an accumulation step fma(v, c, out) is the update
 * with lr = −c (whose kernel rounds −lr to the dtype first, as the host loops round c), a product c·v is the scalar
 * op MUL (the kernel rounds c to the dtype first; a product of two floats is exact in double, so its one rounding
 * to float is float multiplication). So combinations, stage passes, clamping and scaling give the host's bits.
 * Only the sums of squares differ in rounding order: the host adds q² by fma into vector lanes of the dtype per
 * tile and the tiles in double; here q² is rounded to the dtype, summed in double by the reduce kernel and rounded
 * once to the dtype, so sums agree to the dtype's precision, not bit for bit. Operands are contiguous blocks of one
 * dtype and length on the backend's device; nothing here allocates device memory (the callers own the temporaries).
 */
public final class DeviceFlowKernels {
    private static final UpdateStage[] NONE = {};
    /** Device backends never run the host loop for device operands; reaching it is a bug, not a fallback. */
    private static final HostUpdate NO_HOST = (stages, lr, p, g) -> {
        throw new IllegalStateException("a device block reached the host update loop: " + p);
    };

    private DeviceFlowKernels() {
    }

    /** out = fma(v, c, out) elementwise: Backend.update with no stages and lr = −c. */
    private static void fma(Backend b, Tensor out, double c, Tensor v) {
        b.update(NONE, -c, out, v, NO_HOST);
    }

    /** As {@link FlowKernels#combine}: out = c0·v0, then out = fma(v_j, c_j, out) in input order. */
    public static void combine(Backend b, Tensor out, double[] c, Tensor... v) {
        if (c.length != v.length || c.length == 0) {
            throw new IllegalArgumentException("combine: " + c.length + " coefficients for " + v.length + " vectors");
        }
        for (int j = 1; j < v.length; j++) {
            if (v[j] == out) {
                throw new IllegalArgumentException("combine: the output may only be the first input, it is input " + j);
            }
        }
        if (v[0] != out || c[0] != 1) { // x·1 = x: the first pass of out = out + … changes nothing
            b.scalar(BinaryOp.MUL, v[0], c[0], out);
        }
        for (int j = 1; j < v.length; j++) {
            fma(b, out, c[j], v[j]);
        }
    }

    /** As {@link FlowKernels#stage}, in two or three passes instead of one: the same operations on each element. */
    public static void stage(Backend b, FlowKernels.StageMode mode, Tensor p, Tensor w0, Tensor d, Tensor g, double bw,
            double a) {
        long n = p.numel();
        for (Tensor t : new Tensor[] {w0, d, g}) {
            if (t.numel() != n || t.dtype() != p.dtype() || t == p) {
                throw new IllegalArgumentException("stage: " + t + " against the parameters " + p);
            }
        }
        switch (mode) {
            case FIRST -> { // w0 = p, d = b·g, p = fma(g, a, p)
                b.copy(p, w0);
                b.scalar(BinaryOp.MUL, g, bw, d);
                fma(b, p, a, g);
            }
            case NEXT -> { // d = fma(g, b, d), p = fma(g, a, w0)
                fma(b, d, bw, g);
                b.copy(w0, p);
                fma(b, p, a, g);
            }
            case LAST_DIRECTION -> { // d = fma(g, b, d), p = w0
                fma(b, d, bw, g);
                b.copy(w0, p);
            }
            case FIRST_END, PAIR_FIRST -> { // (w0 = p), d = fma(g, b, p), p = fma(g, a, p)
                if (mode == FlowKernels.StageMode.FIRST_END) {
                    b.copy(p, w0);
                }
                b.copy(p, d);
                fma(b, d, bw, g);
                fma(b, p, a, g);
            }
            case LAST_END -> { // p = fma(g, b, d)
                b.copy(d, p);
                fma(b, p, bw, g);
            }
        }
    }

    /**
     * As {@link FlowKernels#scaledErrorSquares}: Σ_i (e_i / fma(max(|w_i|, |y_i|), rtol, atol))² with
     * e = Σ_j c[j]·k[j] formed in {@code err} by {@link #combine}; {@code t1} and {@code t2} are overwritten after e
     * is formed, so they may be two of the k (distinct from each other, from w, y and err). The division and scale
     * are the host's operations; the sum is in double, rounded once to the dtype (see the class comment).
     */
    public static double scaledErrorSquares(Backend b, Tensor w, Tensor y, double[] c, Tensor[] k, double atol,
            double rtol, Tensor err, Tensor t1, Tensor t2) {
        combine(b, err, c, k);
        b.unary(UnaryOp.ABS, w, t1);
        b.unary(UnaryOp.ABS, y, t2);
        b.binary(BinaryOp.MAX, t1, t2, t1);
        b.fill(t2, atol);
        fma(b, t2, rtol, t1); // fma(max(|w|, |y|), rtol, atol)
        b.binary(BinaryOp.DIV, err, t2, err);
        return sumOfSquares(b, err, t1, t2.slice(0, 0, 1));
    }

    /**
     * Σ x² over a device block x, with x² rounded to the dtype in {@code squares} (x's shape) and summed in double
     * into the one-element {@code sum} (rank 1), read back as a double.
     */
    public static double sumOfSquares(Backend b, Tensor x, Tensor squares, Tensor sum) {
        int n = Math.toIntExact(x.numel());
        if (n == 0) {
            return 0;
        }
        Tensor sq = squares.reshape(n);
        b.unary(UnaryOp.SQUARE, x.reshape(n), sq);
        b.reduce(ReduceOp.SUM, sq, sum.reshape(1));
        return b.item(sum);
    }

    /** x = c·x, as {@link Kernels#scale}. */
    public static void scale(Backend b, Tensor x, double c) {
        b.scalar(BinaryOp.MUL, x, c, x);
    }

    /** x = min(max(x, lo), hi), NaN kept, as {@link Kernels#clamp}. */
    public static void clamp(Backend b, Tensor x, double lo, double hi) {
        b.clamp(x, lo, hi, x);
    }
}
