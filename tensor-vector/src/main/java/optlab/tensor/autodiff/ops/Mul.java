package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;

/** y = a ⊙ b (broadcasting); ∂a = g ⊙ b, ∂b = g ⊙ a. */
public final class Mul implements Primitive {
    @Override
    public String name() {
        return "mul";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.binary(BinaryOp.MUL, in[0], in[1]);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {
            need[0] ? ctx.binary(BinaryOp.MUL, g, in[1]) : null,
            need[1] ? ctx.binary(BinaryOp.MUL, g, in[0]) : null
        };
    }
}
