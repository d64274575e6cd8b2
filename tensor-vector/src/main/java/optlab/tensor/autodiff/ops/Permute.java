package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/** y = x with axes reordered (y's axis i is x's axis order[i]), a view; ∂x is g permuted back. */
public final class Permute implements Primitive {
    private final int[] order;

    public Permute(int... order) {
        this.order = order.clone();
    }

    @Override
    public String name() {
        return "permute";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return in[0].permute(order);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[in[0].axis(order[i])] = i;
        }
        return new Tensor[] {g.permute(inverse)};
    }
}
