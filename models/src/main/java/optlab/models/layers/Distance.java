package optlab.models.layers;

import optlab.models.Module;
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
 * <p>Built from two primitives: w = Θ² (elementwise square), then the backend's weighted pairwise squared distance kernel
 * with weights w, summed directly over i (not by the authors' GEMM expansion
 * x²(Θ²)ᵀ − 2x(Θ²⊙C)ᵀ + Σ Θ²⊙C², which loses digits in F32: see {@code DistanceLayerTest}'s
 * accuracy measurement and the tensor module's CpuDistance). The chain rule through w = Θ² gives
 * ∂z/∂Θ = 2Θ⊙∂z/∂w. Squaring costs out·in multiplies per step, nothing beside the N·out·in terms of
 * the kernel, so a kernel taking Θ directly would not be measurably faster.
 *
 * <p>Parameters {@code centroids} and {@code widths}, roles {@link Role#CENTROID} and
 * {@link Role#WIDTH} (initialized as the authors' code: see {@code optlab.models.init.Init#distanceWidths}).
 */
public final class Distance extends Module {
    private final int in;
    private final int out;
    private final DistanceOutput output;
    private final Parameter centroids;
    private final Parameter widths;

    public Distance(int in, int out, DistanceOutput output) {
        Shapes.positive("Distance", "in_features", in);
        Shapes.positive("Distance", "out_features", out);
        this.in = in;
        this.out = out;
        this.output = java.util.Objects.requireNonNull(output, "Distance: output");
        this.centroids = parameter("centroids", Role.CENTROID, in, out, in);
        this.widths = parameter("widths", Role.WIDTH, in, out, in);
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 2);
        Shapes.dim(this, x, -1, in, "in_features");
        return output.apply(g, g.pairwiseSqDist(x, centroids.variable(), g.square(widths.variable())));
    }

    public Parameter centroids() {
        return centroids;
    }

    public Parameter widths() {
        return widths;
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
        return "Distance(in=" + in + ", out=" + out + ", output=" + output.label() + ")";
    }
}
