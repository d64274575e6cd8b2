package optlab.models.layers;

import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Functions;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Layer normalization over the last axis, as torch.nn.LayerNorm(dim): (x − mean)/√(var + eps)·weight +
 * bias with the biased variance; weight, bias [dim]. Same in training and evaluation.
 */
public final class LayerNorm extends Module {
    private final int dim;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(int dim) {
        this(dim, 1e-5);
    }

    public LayerNorm(int dim, double eps) {
        Shapes.positive("LayerNorm", "normalized_shape", dim);
        if (!(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: eps must be > 0, got " + eps);
        }
        this.dim = dim;
        this.eps = eps;
        this.weight = parameter("weight", Role.NORM_SCALE, dim, dim);
        this.bias = parameter("bias", Role.NORM_SHIFT, dim, dim);
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.dim(this, x, -1, dim, "last axis");
        return Functions.layerNorm(g, x, weight.variable(), bias.variable(), eps);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "LayerNorm(" + dim + ", eps=" + eps + ")";
    }
}
