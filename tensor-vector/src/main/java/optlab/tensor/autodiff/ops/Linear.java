package optlab.tensor.autodiff.ops;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * y [..., out] = x [..., in]·Wᵀ + b with W [out, in] (PyTorch layout) and b [out] or absent: one
 * GEMM on W's transposed view with the bias broadcast into the output first (beta = 1), as torch's
 * addmm. ∂x = g·W, ∂W = gᵀ·x over the flattened batch, ∂b = Σ g over rows. Fused because ∂W of a
 * parameter can then go straight into its gradient buffer (beta = 1), where matmul on a transposed
 * view would write a temporary of W's size every step and add it afterwards.
 */
public final class Linear implements Primitive {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor x = in[0], w = in[1], b = in[2];
        if (x.rank() < 1 || w.rank() != 2 || x.dim(-1) != w.dim(1) || (b != null && !Arrays.equals(b.shape(),
                new int[] {w.dim(0)}))) {
            throw new IllegalArgumentException("linear: x " + Arrays.toString(x.shape()) + ", weight "
                    + Arrays.toString(w.shape()) + (b == null ? "" : ", bias " + Arrays.toString(b.shape()))
                    + " do not fit x [..., in], weight [out, in], bias [out]");
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = w.dim(0);
        Tensor out = ctx.empty(x.dtype(), shape);
        if (b != null) {
            ctx.backend().copy(b, out);
        }
        ctx.backend().gemm(1, rows(ctx, x), w.mT(), b == null ? 0 : 1, out.reshape(-1, w.dim(0)));
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return backward(ctx, g, in, out, need, new Tensor[in.length]);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need, Tensor[] into) {
        return backward(ctx, g, in, out, need, into, new boolean[in.length]);
    }

    @Override
    public boolean writesFresh() {
        return true;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need, Tensor[] into,
            boolean[] fresh) {
        Tensor x = in[0], w = in[1];
        Tensor g2 = rows(ctx, g);
        Tensor gx = null, gw = null;
        if (need[0]) {
            gx = ctx.empty(x.dtype(), x.shape());
            ctx.backend().gemm(1, g2, w, 0, gx.reshape(-1, w.dim(1)));
        }
        if (need[1]) {
            // ∂W [out, in] = gᵀ [out, R]·x [R, in]: straight into the parameter's gradient when given
            // (added, or written when that buffer is fresh: no separate zeroing pass over it).
            Tensor dst = into[1] != null ? into[1] : ctx.empty(w.dtype(), w.shape());
            ctx.backend().gemm(1, g2.mT(), rows(ctx, x), into[1] != null && !fresh[1] ? 1 : 0, dst);
            gw = into[1] != null ? null : dst;
        }
        // ∂b: g itself; the tape sums it down to [out].
        return new Tensor[] {gx, gw, need.length > 2 && need[2] ? g : null};
    }

    /** t [..., n] as a matrix [R, n]: a view when it can be one, else a contiguous copy. */
    private static Tensor rows(OpContext ctx, Tensor t) {
        return t.rank() == 2 ? t : ctx.contiguous(t).reshape(-1, t.dim(-1));
    }
}
