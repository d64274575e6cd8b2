package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/**
 * Training-mode batch normalization over channel axis 1 of x [N, C, ...] as one primitive:
 * y = (x − mean)/√(var + eps)·gamma + beta with the batch's per-channel mean and biased variance
 * (gamma, beta [C] may be absent). The backend's fused kernels do both directions, so no full-size
 * intermediate is kept besides x itself; the statistics [C] are saved for backward and, when the
 * caller passes tensors for them, copied out (a layer's running statistics).
 */
public final class BatchNorm implements Primitive {
    private final double eps;
    private final Tensor meanOut, varOut;
    private Tensor mean, var;

    /** meanOut and varOut [C] (either may be null) receive the batch mean and biased variance. */
    public BatchNorm(double eps, Tensor meanOut, Tensor varOut) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("batchNorm: eps must be > 0, got " + eps);
        }
        this.eps = eps;
        this.meanOut = meanOut;
        this.varOut = varOut;
    }

    @Override
    public String name() {
        return "batchNorm";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batchNorm: x must be [N, C, ...], got " + java.util.Arrays.toString(x.shape()));
        }
        Tensor out = ctx.empty(x.dtype(), x.shape());
        mean = ctx.empty(x.dtype(), x.dim(1));
        var = ctx.empty(x.dtype(), x.dim(1));
        ctx.backend().batchNorm(x, in[1], in[2], eps, out, mean, var);
        if (meanOut != null) {
            ctx.backend().copy(mean, meanOut);
        }
        if (varOut != null) {
            ctx.backend().copy(var, varOut);
        }
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor x = in[0], gamma = in[1], beta = in[2];
        Tensor gx = need[0] ? ctx.empty(x.dtype(), x.shape()) : null;
        Tensor gGamma = need[1] ? ctx.empty(x.dtype(), gamma.shape()) : null;
        Tensor gBeta = need[2] ? ctx.empty(x.dtype(), beta.shape()) : null;
        ctx.backend().batchNormBackward(g, x, mean, var, gamma, eps, gx, gGamma, gBeta);
        return new Tensor[] {gx, gGamma, gBeta};
    }
}
