package optlab.models.layers;

import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * A layer's forward multiplier m: y = m·layer(x), weights and bias alike (the reference code of the
 * γ paper divides the whole affine output by √fan_in). m = 1 skips the extra op, so a layer nobody
 * rescaled computes exactly what PyTorch's does. The gradient comes from the autodiff scalar
 * multiply, so ∂/∂W and ∂/∂b carry the same factor m.
 */
final class OutputMultiplier {
    private final String layer;
    private double value = 1;

    OutputMultiplier(String layer) {
        this.layer = layer;
    }

    double value() {
        return value;
    }

    void set(double m) {
        if (!(m > 0) || !Double.isFinite(m)) {
            throw new IllegalArgumentException(layer + ": forward multiplier must be finite and > 0, got " + m);
        }
        value = m;
    }

    Variable apply(Graph g, Variable y) {
        return value == 1 ? y : g.mulScalar(y, value);
    }

    /** ", multiplier=…" for toString, empty at the default. */
    String describe() {
        return value == 1 ? "" : ", multiplier=" + value;
    }
}
