package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/** y = mask ≠ 0 ? a : b for a constant mask (all broadcast); ∂a = g where mask, ∂b = g elsewhere. */
public final class Where implements Primitive {
    private final Tensor mask;

    public Where(Tensor mask) {
        this.mask = mask;
    }

    @Override
    public String name() {
        return "where";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.where(mask, in[0], in[1], OpContext.broadcast("where", mask, in[0], in[1]));
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor zero = ctx.zero(g.dtype());
        return new Tensor[] {
            need[0] ? ctx.where(mask, g, zero, g.shape()) : null,
            need[1] ? ctx.where(mask, zero, g, g.shape()) : null
        };
    }
}
