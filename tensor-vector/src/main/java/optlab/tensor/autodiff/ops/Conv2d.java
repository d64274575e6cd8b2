package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Conv2dSpec;

/**
 * y [N, O, Ho, Wo] = conv(x [N, C, H, W], w [O, C, kh, kw]) + bias [O] (bias may be absent).
 * ∂x and (∂w, ∂bias) are the backend's two backward kernels.
 */
public final class Conv2d implements Primitive {
    private final Conv2dSpec spec;

    public Conv2d(Conv2dSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor x = in[0], w = in[1];
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException("conv2d: x must be [N, C, H, W] and w [O, C, kh, kw], got "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(w.shape()));
        }
        int ho = Conv2dSpec.outSize(x.dim(2), w.dim(2), spec.strideH(), spec.padH());
        int wo = Conv2dSpec.outSize(x.dim(3), w.dim(3), spec.strideW(), spec.padW());
        Tensor out = ctx.empty(x.dtype(), x.dim(0), w.dim(0), ho, wo);
        ctx.backend().conv2d(x, w, in[2], spec, out);
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor x = in[0], w = in[1], bias = in[2];
        Tensor gx = null, gw = null, gb = null;
        if (need[0]) {
            gx = ctx.empty(x.dtype(), x.shape());
            ctx.backend().conv2dBackwardInput(g, w, spec, gx);
        }
        if (need[1] || need[2]) {
            gw = ctx.empty(w.dtype(), w.shape());
            gb = bias != null && need[2] ? ctx.empty(bias.dtype(), bias.shape()) : null;
            ctx.backend().conv2dBackwardWeight(g, x, spec, gw, gb);
        }
        return new Tensor[] {gx, need[1] ? gw : null, gb};
    }
}
