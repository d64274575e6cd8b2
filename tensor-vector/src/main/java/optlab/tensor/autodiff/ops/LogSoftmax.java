package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/** y = log softmax(x) along an axis; ∂x = g − exp(y) ⊙ Σ g, one backend kernel. */
public final class LogSoftmax implements Primitive {
    private final int axis;

    public LogSoftmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "logSoftmax";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor out = ctx.empty(in[0].dtype(), in[0].shape());
        ctx.backend().logSoftmax(in[0], axis, out);
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor gx = ctx.empty(g.dtype(), g.shape());
        ctx.backend().logSoftmaxBackward(out, g, axis, gx);
        return new Tensor[] {gx};
    }
}
