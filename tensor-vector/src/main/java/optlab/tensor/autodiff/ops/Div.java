package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/** y = a / b (broadcasting); ∂a = g / b, ∂b = −g ⊙ y / b. */
public final class Div implements Primitive {
    @Override
    public String name() {
        return "div";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.binary(BinaryOp.DIV, in[0], in[1]);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor gOverB = ctx.binary(BinaryOp.DIV, g, in[1]);
        return new Tensor[] {
            gOverB,
            need[1] ? ctx.unary(UnaryOp.NEG, ctx.binary(BinaryOp.MUL, gOverB, out)) : null
        };
    }
}
