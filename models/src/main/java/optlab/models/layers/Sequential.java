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
        for (Module m : layers) {
            x = m.forward(g, x);
        }
        return x;
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
