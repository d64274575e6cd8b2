package optlab.models.init;

import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.models.path.PathChain;
import optlab.tensor.Gaussian;

/**
 * Path-SGD's unbalanced initialization (Neyshabur et al. 2015, section 5): a function-preserving node
 * rescaling of a (balanced) model. In every hidden layer of an MLP (every hidden channel layer of a CNN)
 * {@code units} units are picked uniformly with replacement; each pick draws c = exp(σ·z), z ~ N(0, 1)
 * (log-normal), and multiplies the unit's incoming weights and bias by c and its outgoing weights by
 * 1/c. ReLU and pooling commute with positive scaling, so the network computes the same function while
 * its weights (and SGD's trajectory) change. The paper picks 2000 units of a 4000-wide layer.
 *
 * @param units picks per hidden layer; 0 or less means half the layer's width
 * @param sigma standard deviation of log c, finite and &gt;= 0 (0 leaves the model unchanged)
 */
public record NodeRescaling(int units, double sigma) {

    public NodeRescaling {
        if (!(sigma >= 0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("NodeRescaling: sigma must be finite and >= 0, got " + sigma);
        }
    }

    /** Rescales the model's hidden units in place, from a generator seeded with {@code seed}. */
    public void apply(Model model, long seed) {
        PathChain chain = PathChain.of(model);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int h = 0; h < chain.hiddenLayers(); h++) {
            int width = chain.width(h);
            int picks = units > 0 ? units : Math.max(1, width / 2);
            for (int k = 0; k < picks; k++) {
                int u = rng.nextInt(width);
                chain.scaleUnit(h, u, Math.exp(sigma * Gaussian.next(rng)));
            }
        }
    }
}
