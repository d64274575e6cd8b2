package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/** y = a − b (broadcasting); ∂a = g, ∂b = −g. */
public final class Sub implements Primitive {
    @Override
    public String name() {
        return "sub";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.binary(BinaryOp.SUB, in[0], in[1]);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {g, need[1] ? ctx.unary(UnaryOp.NEG, g) : null};
    }
}
