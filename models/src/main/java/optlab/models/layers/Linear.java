package optlab.models.layers;

import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Functions;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/** y [..., out] = x [..., in]·Wᵀ + b, as torch.nn.Linear: weight [out, in], bias [out]. */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean bias) {
        Shapes.positive("Linear", "in_features", in);
        Shapes.positive("Linear", "out_features", out);
        this.in = in;
        this.out = out;
        this.weight = parameter("weight", Role.WEIGHT, in, out, in);
        this.bias = bias ? parameter("bias", Role.BIAS, in, out) : null;
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.dim(this, x, -1, in, "in_features");
        return Functions.linear(g, x, weight.variable(), bias == null ? null : bias.variable());
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "Linear(in=" + in + ", out=" + out + ", bias=" + (bias != null) + ")";
    }
}
