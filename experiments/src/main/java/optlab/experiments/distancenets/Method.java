package optlab.experiments.distancenets;

import java.util.Locale;

/**
 * The optimizers compared. All are torch.optim's rules except {@link #RMSPROP_KURBIEL}, the authors' RMSProp
 * (ρ = 0.7, momentum 0.9, ε = 1e-9, first step a plain gradient step) with their schedule α ← α/(1 + 0.01·e) after
 * epoch e and their L2 term: λ = 1e-3 on the summed loss of a minibatch of B, i.e. λ_B = λ/B on our mean loss.
 */
public enum Method {
    SGD("sgd", "SGD"),
    MOMENTUM("momentum", "momentum SGD"),
    RMSPROP_KURBIEL("rmsprop-kurbiel", "RMSProp (authors')"),
    RMSPROP("rmsprop", "RMSprop (torch)"),
    ADAM("adam", "Adam");

    /** The authors' L2 coefficient on the summed minibatch loss (Start.m: lambda = 1e-3 at batch 100). */
    public static final double KURBIEL_LAMBDA = 1e-3;

    private final String key;
    private final String label;

    Method(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** As in folder names and --methods: sgd, momentum, rmsprop-kurbiel, rmsprop, adam. */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** The optimizer spec at step size {@code lr} for minibatches of {@code batch}. */
    public String optimizer(double lr, int batch) {
        return switch (this) {
            case SGD -> "sgd:lr=" + lr;
            case MOMENTUM -> "sgd:lr=" + lr + ",momentum=0.9";
            case RMSPROP_KURBIEL -> "rmsprop-kurbiel:lr=" + lr + ",weight_decay=" + KURBIEL_LAMBDA / batch;
            case RMSPROP -> "rmsprop:lr=" + lr;
            case ADAM -> "adam:lr=" + lr;
        };
    }

    /** Only the authors' rule decays its step per epoch; the others keep it constant, as torch's defaults. */
    public boolean compoundInverse() {
        return this == RMSPROP_KURBIEL;
    }

    public static Method byKey(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.key.equals(k)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + s + "' (known: sgd, momentum, rmsprop-kurbiel, rmsprop, adam)");
    }
}
