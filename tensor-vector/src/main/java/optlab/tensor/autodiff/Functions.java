package optlab.tensor.autodiff;

/**
 * Layers composed from {@link Graph}'s primitives, so their gradients follow from the primitives'
 * rules with no backward code of their own. A fused kernel replaces one only when measurably faster.
 */
public final class Functions {
    private Functions() {
    }

    /**
     * y [..., out] = x [..., in]·Wᵀ + b, with W [out, in] (PyTorch layout) and b [out] or null. The
     * fused {@link Graph#linear} primitive: measured faster than matmul on Wᵀ plus add, since ∂W is
     * then written once into the gradient buffer instead of into a temporary that is added afterwards.
     */
    public static Variable linear(Graph g, Variable x, Variable w, Variable b) {
        return g.linear(x, w, b);
    }

    /**
     * Layer normalization over the last axis: (x − mean) / √(var + eps) · gamma + beta, with the
     * biased variance (as PyTorch). gamma and beta [C] may be null (no affine transform).
     */
    public static Variable layerNorm(Graph g, Variable x, Variable gamma, Variable beta, double eps) {
        int[] shape = x.shape();
        long numel = x.value().numel();
        int d = shape.length == 0 ? 0 : shape[shape.length - 1];
        if (numel > 0 && d > 0) {
            // Each row is a channel of the fused batch-norm primitive when x is seen as [1, rows, d]:
            // 3 passes forward and 2 backward instead of the composed ops' dozen full-size ones.
            Variable rows = g.reshape(x, 1, Math.toIntExact(numel / d), d);
            return affine(g, g.reshape(g.batchNorm(rows, null, null, eps, null, null), shape), gamma, beta);
        }
        Variable mean = g.mean(x, true, -1);
        Variable var = g.variance(x, 0, true, -1);
        Variable xhat = g.div(g.sub(x, mean), g.sqrt(g.addScalar(var, eps)));
        return affine(g, xhat, gamma, beta);
    }

    /**
     * Batch normalization with training-mode statistics: per channel (axis 1) over all other axes of
     * x [N, C, ...], biased variance as PyTorch uses for normalizing. gamma and beta [C] may be null.
     * The fused {@link Graph#batchNorm} primitive (measured faster than the composed mean, variance,
     * sub, div, mul and add, and it keeps no full-size intermediates); running statistics are the
     * caller's: pass tensors to {@link Graph#batchNorm} to receive the batch's, or use
     * {@link #normalize} at evaluation time.
     */
    public static Variable batchNorm(Graph g, Variable x, Variable gamma, Variable beta, double eps) {
        if (x.value().rank() < 2) {
            throw new IllegalArgumentException("batchNorm: x must be [N, C, ...], got " + x);
        }
        return g.batchNorm(x, gamma, beta, eps, null, null);
    }

    /**
     * (x − mean) / √(var + eps) · gamma + beta per channel (axis 1) with given statistics [C], e.g.
     * batch normalization at evaluation time with running statistics as constants.
     */
    public static Variable normalize(Graph g, Variable x, Variable mean, Variable var, Variable gamma, Variable beta,
            double eps) {
        Variable xhat = g.div(g.sub(x, channel(g, x, mean)), g.sqrt(g.addScalar(channel(g, x, var), eps)));
        return channelAffine(g, xhat, gamma, beta);
    }

    /**
     * log Σ exp(x) along {@code axis}, computed as m + log Σ exp(x − m) with m the (constant) maximum so
     * that large logits do not overflow; the gradient is softmax(x) either way.
     */
    public static Variable logSumExp(Graph g, Variable x, int axis, boolean keepdim) {
        Variable m;
        try (Graph constant = Graph.noGrad(g.backend(), g.scope())) {
            m = Variable.constant(constant.max(x, true, axis).value());
        }
        Variable lse = g.add(g.log(g.sum(g.exp(g.sub(x, m)), true, axis)), m);
        return keepdim ? lse : g.reshape(lse, dropAxis(x.shape(), x.value().axis(axis)));
    }

    private static Variable affine(Graph g, Variable xhat, Variable gamma, Variable beta) {
        Variable y = gamma == null ? xhat : g.mul(xhat, gamma);
        return beta == null ? y : g.add(y, beta);
    }

    private static Variable channelAffine(Graph g, Variable xhat, Variable gamma, Variable beta) {
        Variable y = gamma == null ? xhat : g.mul(xhat, channel(g, xhat, gamma));
        return beta == null ? y : g.add(y, channel(g, xhat, beta));
    }

    /** A per-channel vector [C] viewed as [C, 1, ...] so it broadcasts over x [N, C, ...]. */
    private static Variable channel(Graph g, Variable x, Variable v) {
        int[] shape = new int[x.value().rank() - 1];
        java.util.Arrays.fill(shape, 1);
        shape[0] = v.value().dim(0);
        return g.reshape(v, shape);
    }

    private static int[] dropAxis(int[] shape, int axis) {
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return s;
    }
}
