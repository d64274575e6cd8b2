package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;

/** y = xᵖ for a constant p; ∂x = g ⊙ p·xᵖ⁻¹. */
public final class PowScalar implements Primitive {
    private final double p;

    public PowScalar(double p) {
        this.p = p;
    }

    @Override
    public String name() {
        return "pow";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.scalar(BinaryOp.POW, in[0], p);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor slope = ctx.scalar(BinaryOp.MUL, ctx.scalar(BinaryOp.POW, in[0], p - 1), p);
        return new Tensor[] {ctx.binary(BinaryOp.MUL, g, slope)};
    }
}
