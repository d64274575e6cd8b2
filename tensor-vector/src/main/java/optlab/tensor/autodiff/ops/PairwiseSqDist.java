package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/**
 * y [N, M] = Σ_d w[m, d]·(x[n, d] − c[m, d])² for x [N, D], centroids c [M, D] and optional weights
 * w [M, D] (absent: all ones). Gradients of all three come from one backend kernel.
 */
public final class PairwiseSqDist implements Primitive {
    @Override
    public String name() {
        return "pairwiseSqDist";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor x = in[0], c = in[1];
        if (x.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("pairwiseSqDist: x must be [N, D] and c [M, D], got "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(c.shape()));
        }
        Tensor out = ctx.empty(x.dtype(), x.dim(0), c.dim(0));
        ctx.backend().pairwiseSqDist(x, c, in[2], out);
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor x = in[0], c = in[1], w = in[2];
        Tensor gx = need[0] ? ctx.empty(x.dtype(), x.shape()) : null;
        Tensor gc = need[1] ? ctx.empty(c.dtype(), c.shape()) : null;
        Tensor gw = w != null && need[2] ? ctx.empty(w.dtype(), w.shape()) : null;
        ctx.backend().pairwiseSqDistBackward(g, x, c, w, gx, gc, gw);
        return new Tensor[] {gx, gc, gw};
    }
}
