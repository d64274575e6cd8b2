package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Pool2dSpec;

/** Average pooling over [N, C, H, W] as torch.nn.AvgPool2d (floor mode, padded zeros counted). */
public final class AvgPool2d extends Module {
    private final Pool2dSpec spec;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this.spec = new Pool2dSpec(kernel, kernel, stride, stride, padding, padding);
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 4);
        return g.avgPool2d(x, spec);
    }

    public Pool2dSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel=" + spec.kernelH() + ", stride=" + spec.strideH() + ", padding=" + spec.padH() + ")";
    }
}
