package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;

/** y [N, C, Ho, Wo] = mean over each window of x [N, C, H, W]; ∂x spreads g evenly over each window. */
public final class AvgPool2d implements Primitive {
    private final Pool2dSpec spec;

    public AvgPool2d(Pool2dSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "avgPool2d";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.rank() != 4) {
            throw new IllegalArgumentException("avgPool2d: x must be [N, C, H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        Tensor out = ctx.empty(x.dtype(), x.dim(0), x.dim(1), spec.outH(x.dim(2)), spec.outW(x.dim(3)));
        ctx.backend().avgPool2d(x, spec, out);
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor gx = ctx.empty(g.dtype(), in[0].shape());
        ctx.backend().avgPool2dBackward(g, spec, gx);
        return new Tensor[] {gx};
    }
}
