package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * A layer of units that respond to the distance of their input from a centroid (Kurbiel and
 * Khaleghian's {@link Distance}, the {@link RadialBasis} layer): x [N, in] → weighted squared
 * distances z [N, out] → exp(−z/2) or −z/2 ({@link DistanceOutput}). No unit is a weighted sum of its
 * inputs, so fan-in parameterizations and path structures do not apply to these layers.
 */
public abstract sealed class DistanceLayer extends Module permits Distance, RadialBasis {
    private final int in;
    private final int out;
    private final DistanceOutput output;

    DistanceLayer(String layer, int in, int out, DistanceOutput output) {
        Shapes.positive(layer, "in_features", in);
        Shapes.positive(layer, "out_features", out);
        this.in = in;
        this.out = out;
        this.output = java.util.Objects.requireNonNull(output, layer + ": output");
    }

    /** z [N, out] for x [N, in] (checked). */
    abstract Variable distances(Graph g, Variable x);

    @Override
    public final Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 2);
        Shapes.dim(this, x, -1, in, "in_features");
        return output.apply(g, distances(g, x));
    }

    public final DistanceOutput output() {
        return output;
    }

    public final int inFeatures() {
        return in;
    }

    public final int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(in=" + in + ", out=" + out + ", output=" + output.label() + ")";
    }
}
