package optlab.models.layers;

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
public final class RadialBasis extends DistanceLayer {
    private final Parameter centres;
    private final Parameter radii;

    public RadialBasis(int in, int out, DistanceOutput output) {
        super("RadialBasis", in, out, output);
        this.centres = parameter("centres", Role.CENTROID, in, out, in);
        this.radii = parameter("radii", Role.RADIUS, in, out);
    }

    @Override
    Variable distances(Graph g, Variable x) {
        return g.div(g.pairwiseSqDist(x, centres.variable(), null), g.square(radii.variable()));
    }

    public Parameter centres() {
        return centres;
    }

    public Parameter radii() {
        return radii;
    }
}
