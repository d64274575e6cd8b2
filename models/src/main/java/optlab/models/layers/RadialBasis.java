package optlab.models.layers;

import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * A radial basis function layer: one radius per unit, z_nj = ‖x_n − c_j‖² / r_j² for x [N, in],
 * centres c [out, in] and radii r [out], then exp(−z/2) or −z/2 ({@link DistanceOutput}). It is the
 * {@link Distance} layer with every width of unit j tied to 1/r_j. No bias. Built from the unweighted
 * pairwise squared distance kernel and a broadcast division by r².
 *
 * <p>Parameters {@code centres} and {@code radii}, roles {@link Role#CENTROID} and {@link Role#RADIUS}.
 */
public final class RadialBasis extends Module {
    private final int in;
    private final int out;
    private final DistanceOutput output;
    private final Parameter centres;
    private final Parameter radii;

    public RadialBasis(int in, int out, DistanceOutput output) {
        Shapes.positive("RadialBasis", "in_features", in);
        Shapes.positive("RadialBasis", "out_features", out);
        this.in = in;
        this.out = out;
        this.output = java.util.Objects.requireNonNull(output, "RadialBasis: output");
        this.centres = parameter("centres", Role.CENTROID, in, out, in);
        this.radii = parameter("radii", Role.RADIUS, in, out);
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 2);
        Shapes.dim(this, x, -1, in, "in_features");
        Variable z = g.div(g.pairwiseSqDist(x, centres.variable(), null), g.square(radii.variable()));
        return output.apply(g, z);
    }

    public Parameter centres() {
        return centres;
    }

    public Parameter radii() {
        return radii;
    }

    public DistanceOutput output() {
        return output;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "RadialBasis(in=" + in + ", out=" + out + ", output=" + output.label() + ")";
    }
}
