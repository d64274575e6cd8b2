package optlab.experiments.pathsgd;

import java.util.Locale;

/** The three optimizers the Path-SGD paper compares, plain (no momentum, no weight decay), torch.optim defaults. */
public enum Method {
    PATH_SGD("path-sgd", "Path-SGD"),
    SGD("sgd", "SGD"),
    ADAGRAD("adagrad", "AdaGrad");

    private final String key;
    private final String label;

    Method(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** As in spec strings and folder names: path-sgd, sgd, adagrad. */
    public String key() {
        return key;
    }

    /** As in figures: Path-SGD, SGD, AdaGrad. */
    public String label() {
        return label;
    }

    /** The optimizer spec at step size {@code lr} (Path-SGD with the paper's p = 2). */
    public String optimizer(double lr) {
        return this == PATH_SGD ? key + ":lr=" + lr + ",p=2" : key + ":lr=" + lr;
    }

    public static Method byKey(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.key.equals(k)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + s + "' (known: path-sgd, sgd, adagrad)");
    }
}
