package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/** y = min(max(x, lo), hi); ∂x = g where lo ≤ x ≤ hi, else 0 (PyTorch's convention at the bounds). */
public final class Clamp implements Primitive {
    private final double lo;
    private final double hi;

    public Clamp(double lo, double hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lo " + lo + " must not exceed hi " + hi);
        }
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public String name() {
        return "clamp";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor out = ctx.empty(in[0].dtype(), in[0].shape());
        ctx.backend().clamp(in[0], lo, hi, out);
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor x = in[0];
        Tensor zero = ctx.zero(x.dtype());
        Tensor above = ctx.scalar(BinaryOp.GREATER, x, hi);
        Tensor below = ctx.scalar(BinaryOp.GREATER, ctx.unary(UnaryOp.NEG, x), -lo); // x < lo ⇔ −x > −lo
        Tensor notAbove = ctx.where(above, zero, g, x.shape());
        return new Tensor[] {ctx.where(below, zero, notAbove, x.shape())};
    }
}
