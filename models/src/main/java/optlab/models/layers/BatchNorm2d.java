package optlab.models.layers;

import optlab.tensor.autodiff.Variable;

/** {@link BatchNorm} over x [N, C, H, W]. */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        super("BatchNorm2d", channels, eps, momentum);
    }

    @Override
    void checkRank(Variable x) {
        Shapes.rank(this, x, 4);
    }
}
