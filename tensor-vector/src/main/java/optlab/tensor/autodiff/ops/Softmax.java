package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/** y = softmax(x) along an axis; ∂x = y ⊙ (g − Σ g ⊙ y), one backend kernel. */
public final class Softmax implements Primitive {
    private final int axis;

    public Softmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor out = ctx.empty(in[0].dtype(), in[0].shape());
        ctx.backend().softmax(in[0], axis, out);
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor gx = ctx.empty(g.dtype(), g.shape());
        ctx.backend().softmaxBackward(out, g, axis, gx);
        return new Tensor[] {gx};
    }
}
