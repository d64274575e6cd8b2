package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;

/** y = x + s for a constant s; ∂x = g. */
public final class AddScalar implements Primitive {
    private final double s;

    public AddScalar(double s) {
        this.s = s;
    }

    @Override
    public String name() {
        return "addScalar";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.scalar(BinaryOp.ADD, in[0], s);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {g};
    }
}
