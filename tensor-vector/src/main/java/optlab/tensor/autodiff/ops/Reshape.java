package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/**
 * y = x viewed with a new shape (one entry may be −1); a non-contiguous x is copied first. ∂x is g
 * viewed back in x's shape.
 */
public final class Reshape implements Primitive {
    private final int[] shape;

    public Reshape(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    public String name() {
        return "reshape";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        try {
            return ctx.contiguous(in[0]).reshape(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reshape: " + e.getMessage(), e);
        }
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        return new Tensor[] {ctx.contiguous(g).reshape(in[0].shape())};
    }
}
