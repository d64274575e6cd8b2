package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Pool2dSpec;

/** Max pooling over [N, C, H, W] as torch.nn.MaxPool2d (floor mode, padding ignored). */
public final class MaxPool2d extends Module {
    private final Pool2dSpec spec;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this.spec = new Pool2dSpec(kernel, kernel, stride, stride, padding, padding);
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 4);
        return g.maxPool2d(x, spec);
    }

    public Pool2dSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel=" + spec.kernelH() + ", stride=" + spec.strideH() + ", padding=" + spec.padH() + ")";
    }
}
