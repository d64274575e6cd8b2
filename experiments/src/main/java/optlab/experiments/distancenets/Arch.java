package optlab.experiments.distancenets;

import java.util.Locale;

/** The network families compared at each depth: all hidden layers {@code width} units wide. */
public enum Arch {
    /** Gaussian distance layers, the last one emitting logits −z/2 (the paper's network). */
    DISTANCE("distance", "distance net"),
    /** Dot-product baselines of the same sizes. */
    RELU("relu", "ReLU MLP"),
    SIGMOID("sigmoid", "sigmoid MLP"),
    /** A ReLU MLP body with a distance output layer. */
    HYBRID("mlp-distance", "ReLU body + distance output");

    private final String key;
    private final String label;

    Arch(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** The zoo spec of {@code depth} hidden layers of {@code width} between {@code inputs} and {@code classes}. */
    public String model(long inputs, int width, int depth, int classes) {
        StringBuilder sizes = new StringBuilder().append(inputs);
        for (int i = 0; i < depth; i++) {
            sizes.append('-').append(width);
        }
        sizes.append('-').append(classes);
        return switch (this) {
            case DISTANCE -> "distance:" + sizes;
            case RELU -> "mlp:" + sizes;
            case SIGMOID -> "mlp:" + sizes + ",act=sigmoid";
            case HYBRID -> "mlp-distance:" + sizes;
        };
    }

    public static Arch byKey(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Arch a : values()) {
            if (a.key.equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + s + "' (known: distance, relu, sigmoid, mlp-distance)");
    }
}
