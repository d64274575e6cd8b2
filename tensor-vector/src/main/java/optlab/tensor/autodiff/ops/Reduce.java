package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.ReduceOp;

/**
 * y = sum, mean, max or min of x over some axes. ∂x spreads g back over the reduced axes: as is for
 * a sum, divided by the count for a mean, and only onto the extreme elements for max and min
 * (every tied element receives the full g; PyTorch's amax splits it among ties).
 */
public final class Reduce implements Primitive {
    private final ReduceOp op;
    private final Axes axes;

    public Reduce(ReduceOp op, Axes axes) {
        this.op = op;
        this.axes = axes;
    }

    @Override
    public String name() {
        return op.name().toLowerCase();
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor x = in[0];
        Tensor keep = ctx.empty(x.dtype(), axes.keepShape(x.shape()));
        ctx.backend().reduce(op, x, keep);
        return keep.reshape(axes.outShape(x.shape()));
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        int[] shape = in[0].shape();
        Tensor gx = switch (op) {
            case SUM -> axes.spread(ctx, g, shape);
            case MEAN -> axes.spread(ctx, ctx.scalar(BinaryOp.MUL, g, 1.0 / axes.count(shape)), shape);
            case MAX, MIN -> {
                // x is not extreme where it is strictly below the max (above the min).
                Tensor extreme = axes.spread(ctx, out, shape);
                Tensor notExtreme = op == ReduceOp.MAX
                        ? ctx.binary(BinaryOp.GREATER, extreme, in[0])
                        : ctx.binary(BinaryOp.GREATER, in[0], extreme);
                yield ctx.where(notExtreme, ctx.zero(g.dtype()), axes.spread(ctx, g, shape), shape);
            }
        };
        return new Tensor[] {gx};
    }
}
