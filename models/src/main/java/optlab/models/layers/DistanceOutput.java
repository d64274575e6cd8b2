package optlab.models.layers;

import java.util.Locale;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * What a distance layer ({@link Distance}, {@link RadialBasis}) emits for its weighted squared
 * distances z [N, out]: Gaussian activations exp(−z/2) in a hidden layer, or the logits −z/2 that a
 * network's last distance layer feeds to softmax cross-entropy (Kurbiel and Khaleghian's output layer:
 * softmax of −z/2, so the class whose centroid is nearest wins).
 */
public enum DistanceOutput {
    /** exp(−z/2), in (0, 1]: a hidden layer. */
    GAUSSIAN,
    /** −z/2: the output layer, into softmax cross-entropy. */
    LOGITS;

    Variable apply(Graph g, Variable z) {
        Variable s = g.mulScalar(z, -0.5);
        return this == GAUSSIAN ? g.exp(s) : s;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
