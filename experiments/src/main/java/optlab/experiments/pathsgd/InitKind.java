package optlab.experiments.pathsgd;

/**
 * The paper's two starting points: balanced (Gaussian weights N(0, 1/fan_in), zero biases) and unbalanced (the
 * same weights, then a function-preserving rescaling of randomly picked hidden units; see
 * {@link optlab.experiments.run.Unbalancing}). Every run of a recipe uses the same seed, so all methods start
 * from the very same weights under each init.
 */
public enum InitKind {
    BALANCED("balanced"),
    UNBALANCED("unbalanced");

    private final String key;

    InitKind(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
