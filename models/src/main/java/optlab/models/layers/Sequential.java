package optlab.models.layers;

import java.util.List;
import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/** Modules applied in order, named "0", "1", ... as torch.nn.Sequential (so keys read "0.weight", "2.bias"). */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(List<? extends Module> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) {
            child(Integer.toString(i), this.layers.get(i));
        }
    }

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        for (int i = 0; i < layers.size(); i++) {
            if (reluBeforeMaxPool(i)) {
                // ReLU is monotone, so max pooling commutes with it: pooling first runs ReLU on a quarter
                // of the values (2×2), with the same outputs and gradients, argmax ties and NaN included.
                x = g.relu(layers.get(i + 1).forward(g, x));
                i++;
            } else {
                x = layers.get(i).forward(g, x);
            }
        }
        return x;
    }

    private boolean reluBeforeMaxPool(int i) {
        return i + 1 < layers.size() && layers.get(i) instanceof Activation a && a.kind() == Activation.Kind.RELU
                && layers.get(i + 1) instanceof MaxPool2d;
    }

    public List<Module> layers() {
        return layers;
    }

    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public String toString() {
        return "Sequential(" + layers.size() + " layers)";
    }
}
