package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;

/**
 * y = Σ (x − mean)² / (n − correction) over some axes (correction 0: biased, as normalization layers
 * use; 1: unbiased). ∂x = g ⊙ 2(x − mean)/(n − correction); the mean's own dependence on x drops
 * out because Σ (x − mean) = 0.
 */
public final class Variance implements Primitive {
    private final Axes axes;
    private final int correction;
    private Tensor mean;

    public Variance(Axes axes, int correction) {
        if (correction != 0 && correction != 1) {
            throw new IllegalArgumentException("variance: correction must be 0 or 1, got " + correction);
        }
        this.axes = axes;
        this.correction = correction;
    }

    @Override
    public String name() {
        return "variance";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor x = in[0];
        int[] keepShape = axes.keepShape(x.shape());
        Tensor m = ctx.empty(x.dtype(), keepShape);
        Tensor var = ctx.empty(x.dtype(), keepShape);
        ctx.backend().moments(x, m, var, correction);
        if (ctx.recording()) {
            mean = m;
        }
        return var.reshape(axes.outShape(x.shape()));
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        int[] shape = in[0].shape();
        double scale = 2.0 / (axes.count(shape) - correction);
        Tensor centered = ctx.binary(BinaryOp.SUB, in[0], mean);
        Tensor gScaled = ctx.scalar(BinaryOp.MUL, g, scale);
        return new Tensor[] {ctx.binary(BinaryOp.MUL, centered, axes.spread(ctx, gScaled, shape))};
    }
}
