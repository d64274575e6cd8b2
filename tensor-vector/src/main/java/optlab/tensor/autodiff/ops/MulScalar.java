package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;

/** y = s·x for a constant s; ∂x = s·g. */
public final class MulScalar implements Primitive {
    private final double s;

    public MulScalar(double s) {
        this.s = s;
    }

    @Override
    public String name() {
        return "mulScalar";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.scalar(BinaryOp.MUL, in[0], s);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {ctx.scalar(BinaryOp.MUL, g, s)};
    }
}
