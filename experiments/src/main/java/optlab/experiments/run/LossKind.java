package optlab.experiments.run;

/**
 * The training loss of a classification run. Both average over the batch as PyTorch's defaults do:
 * cross-entropy is F.cross_entropy(logits, y) (mean over samples); MSE is F.mse_loss(logits, one_hot(y)),
 * the mean over all B·C elements.
 */
public enum LossKind {
    CROSS_ENTROPY("cross_entropy"),
    MSE("mse");

    private final String key;

    LossKind(String key) {
        this.key = key;
    }

    /** The config spelling. */
    public String key() {
        return key;
    }

    public static LossKind parse(String s, String path) {
        for (LossKind k : values()) {
            if (k.key.equals(s)) {
                return k;
            }
        }
        throw new ConfigException(path, "unknown loss '" + s + "' (known: cross_entropy, mse)");
    }
}
