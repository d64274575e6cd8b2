package optlab.models.layers;

import java.util.SplittableRandom;
import optlab.models.Module;
import optlab.models.Stochastic;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Inverted dropout as torch.nn.Dropout: in training, each element is kept with probability 1 − p and
 * scaled by 1/(1 − p) (so the expectation is unchanged); identity in evaluation. The mask comes from a
 * SplittableRandom that the owning Model reseeds from (seed, step) before each training forward, so
 * masks are reproducible; the mask tensor lives in the graph's scope (pooled, nothing new per step).
 */
public final class Dropout extends Module implements Stochastic {
    private final double p;
    private SplittableRandom rng;

    public Dropout(double p) {
        this(p, 0);
    }

    /** With an initial seed, for use outside a Model (a Model reseeds it every step). */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        if (!training() || p == 0) {
            return x;
        }
        Tensor mask = g.scope().empty(x.dtype(), x.shape()); // drawn on the host, then placed beside x
        DType dt = mask.dtype();
        double keep = 1 / (1 - p);
        for (long i = 0, n = mask.numel(); i < n; i++) {
            dt.set(mask.segment(), i, rng.nextDouble() < p ? 0 : keep);
        }
        return g.mul(x, Variable.constant(g.place(mask)));
    }

    public double p() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
