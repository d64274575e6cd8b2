package optlab.models.layers;

import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Functions;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * y [..., out] = m·(x [..., in]·Wᵀ + b), as torch.nn.Linear (weight [out, in], bias [out]) with a
 * forward multiplier m, 1 by default (then exactly torch.nn.Linear). Parameterizations that draw
 * weights N(0, 1) put their 1/√fan_in or 1/fan_in here (see {@link OutputMultiplier}).
 */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final OutputMultiplier multiplier = new OutputMultiplier("Linear");

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
        return multiplier.apply(g, Functions.linear(g, x, weight.variable(), bias == null ? null : bias.variable()));
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null. */
    public Parameter bias() {
        return bias;
    }

    /** The forward multiplier m (1 unless a parameterization set it). */
    public double multiplier() {
        return multiplier.value();
    }

    /** Sets the forward multiplier m (finite, &gt; 0); part of the layer's definition, not a parameter. */
    public Linear setMultiplier(double m) {
        multiplier.set(m);
        return this;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "Linear(in=" + in + ", out=" + out + ", bias=" + (bias != null) + multiplier.describe() + ")";
    }
}
