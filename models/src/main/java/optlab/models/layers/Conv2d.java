package optlab.models.layers;

import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Conv2dSpec;

/**
 * Square-kernel convolution as torch.nn.Conv2d (groups = 1, zero padding): x [N, in, H, W] →
 * [N, out, Ho, Wo]; weight [out, in, k, k], bias [out]; fan-in = in·k² (what initializers scale by).
 * The output is multiplied by a forward multiplier m, 1 by default (then exactly torch.nn.Conv2d);
 * the NTK and μP parameterizations set m = 1/√in_channels (see {@link OutputMultiplier}).
 */
public final class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final Conv2dSpec spec;
    private final Parameter weight;
    private final Parameter bias;
    private final OutputMultiplier multiplier = new OutputMultiplier("Conv2d");

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias) {
        Shapes.positive("Conv2d", "in_channels", in);
        Shapes.positive("Conv2d", "out_channels", out);
        Shapes.positive("Conv2d", "kernel_size", kernel);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.spec = Conv2dSpec.of(stride, padding);
        int fanIn = in * kernel * kernel;
        this.weight = parameter("weight", Role.WEIGHT, fanIn, out, in, kernel, kernel);
        this.bias = bias ? parameter("bias", Role.BIAS, fanIn, out) : null;
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 4);
        Shapes.dim(this, x, 1, in, "channels");
        return multiplier.apply(g, g.conv2d(x, weight.variable(), bias == null ? null : bias.variable(), spec));
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    /** The forward multiplier m (1 unless a parameterization set it). */
    public double multiplier() {
        return multiplier.value();
    }

    /** Sets the forward multiplier m (finite, &gt; 0); part of the layer's definition, not a parameter. */
    public Conv2d setMultiplier(double m) {
        multiplier.set(m);
        return this;
    }

    public int kernelSize() {
        return kernel;
    }

    /** Stride and padding. */
    public Conv2dSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + ", " + out + ", kernel=" + kernel + ", stride=" + spec.strideH() + ", padding="
                + spec.padH() + ", bias=" + (bias != null) + multiplier.describe() + ")";
    }
}
