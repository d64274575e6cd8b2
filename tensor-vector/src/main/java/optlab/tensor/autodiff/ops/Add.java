package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;

/** y = a + b (broadcasting); ∂a = ∂b = g, summed down to each input's shape by the tape. */
public final class Add implements Primitive {
    @Override
    public String name() {
        return "add";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.binary(BinaryOp.ADD, in[0], in[1]);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {g, g};
    }
}
