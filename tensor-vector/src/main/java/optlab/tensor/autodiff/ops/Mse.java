package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/**
 * L = mean (a − b)² over all elements of two same-shaped tensors, a 0-d result. The fused kernel
 * gives ∂L/∂a = 2(a − b)/n in the forward pass; ∂L/∂b is its negation.
 */
public final class Mse implements Primitive {
    private Tensor dA;

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor a = in[0], b = in[1];
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException("mse: prediction " + java.util.Arrays.toString(a.shape())
                    + " and target " + java.util.Arrays.toString(b.shape()) + " must have the same shape");
        }
        Tensor grad = ctx.recording() ? ctx.empty(a.dtype(), a.shape()) : null;
        Tensor out = ctx.empty(a.dtype());
        ctx.backend().mse(a, b, grad, out); // on a device, out stays there: no read-back here
        dA = grad;
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor ga = ctx.binary(BinaryOp.MUL, dA, g);
        return new Tensor[] {ga, need[1] ? ctx.unary(UnaryOp.NEG, ga) : null};
    }
}
