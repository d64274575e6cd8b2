package optlab.models.layers;

import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Kurbiel and Khaleghian's distance layer ("Training of Deep Neural Networks based on Distance
 * Measures using RMSProp", arXiv 1708.01911): for x [N, in], centroids C [out, in] and widths
 * Θ [out, in], z [N, out] with z_nj = Σ_i Θ_ji²·(x_ni − C_ji)², then exp(−z/2) or −z/2
 * ({@link DistanceOutput}). No bias. For s = −z/2 the gradients are ∂s/∂C = Θ²⊙(x − C),
 * ∂s/∂Θ = −Θ⊙(x − C)², ∂s/∂x = −Σ_j Θ_j²⊙(x − C_j).
 *
 * <p>Built from two primitives: w = Θ² (elementwise square), then the backend's weighted pairwise
 * squared distance kernel with weights w, summed directly over i (not by the authors' GEMM expansion
 * x²(Θ²)ᵀ − 2x(Θ²⊙C)ᵀ + Σ Θ²⊙C², which loses digits in F32: see the tensor module's CpuDistance and
 * DistanceLayerTest for the measurements). The chain rule through w = Θ² gives ∂z/∂Θ = 2Θ⊙∂z/∂w.
 * Squaring costs out·in multiplies per step beside the N·out·in terms of the kernel; a kernel taking Θ
 * directly would compute (Θx − ΘC)², which cancels in F32 near a centroid as the expansion does, or
 * Θ²(x − C)² at the same cost as now.
 *
 * <p>Parameters {@code centroids} and {@code widths}, roles {@link Role#CENTROID} and
 * {@link Role#WIDTH} (initialized as the authors' code: see {@code optlab.models.init.Init#distanceWidths}).
 */
public final class Distance extends DistanceLayer {
    private final Parameter centroids;
    private final Parameter widths;

    public Distance(int in, int out, DistanceOutput output) {
        super("Distance", in, out, output);
        this.centroids = parameter("centroids", Role.CENTROID, in, out, in);
        this.widths = parameter("widths", Role.WIDTH, in, out, in);
    }

    @Override
    Variable distances(Graph g, Variable x) {
        return g.pairwiseSqDist(x, centroids.variable(), g.square(widths.variable()));
    }

    public Parameter centroids() {
        return centroids;
    }

    public Parameter widths() {
        return widths;
    }
}
