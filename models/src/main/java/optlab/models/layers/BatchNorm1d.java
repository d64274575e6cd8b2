package optlab.models.layers;

import optlab.tensor.autodiff.Variable;

/** {@link BatchNorm} over x [N, C] or [N, C, L]. */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm1d(int channels, double eps, double momentum) {
        super("BatchNorm1d", channels, eps, momentum);
    }

    @Override
    void checkRank(Variable x) {
        Shapes.rank(this, x, 2, 3);
    }
}
