package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/** [N, d1, d2, ...] → [N, d1·d2·...], as torch.nn.Flatten (start_dim = 1). */
public final class Flatten extends Module {
    public Flatten() {
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        if (x.value().rank() < 1) {
            throw new IllegalArgumentException(this + ": input must have a batch axis, got a scalar");
        }
        int n = x.value().dim(0);
        long rest = x.value().numel() / Math.max(n, 1);
        return g.reshape(x, n, Math.toIntExact(n == 0 ? 0 : rest));
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
