package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;

/**
 * L = mean softmax cross-entropy of logits [N, C] against constant targets ([N] class indices or
 * [N, C] probabilities), a 0-d result. The fused kernel computes ∂L/∂logits in the forward pass;
 * backward only scales it by the incoming g.
 */
public final class CrossEntropy implements Primitive {
    private final Tensor target;
    private Tensor dLogits;

    public CrossEntropy(Tensor target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "crossEntropy";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor logits = in[0];
        Tensor grad = ctx.recording() ? ctx.empty(logits.dtype(), logits.shape()) : null;
        Tensor out = ctx.empty(logits.dtype());
        ctx.backend().crossEntropy(logits, target, grad, out); // on a device, out stays there: no read-back here
        dLogits = grad;
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {ctx.binary(BinaryOp.MUL, dLogits, g)};
    }
}
