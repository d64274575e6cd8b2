package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/**
 * y = x broadcast to a larger shape (NumPy rules), a stride-0 view. ∂x is g summed over the repeated
 * axes, which the tape's reduction to the input's shape already does.
 */
public final class Expand implements Primitive {
    private final int[] shape;

    public Expand(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    public String name() {
        return "expand";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        try {
            return in[0].broadcastTo(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expand: " + e.getMessage(), e);
        }
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {g};
    }
}
