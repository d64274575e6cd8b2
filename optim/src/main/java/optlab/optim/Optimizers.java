package optlab.optim;

import java.util.Locale;

/** Builds optimizers from spec strings such as {@code sgd:lr=0.05,momentum=0.9,nesterov=true}. */
public final class Optimizers {
    /** The names {@link #parse} accepts. */
    public static final java.util.List<String> NAMES = java.util.List.of("sgd", "adagrad", "rmsprop", "adam", "adamw",
            "path-sgd", "rmsprop-kurbiel");

    private Optimizers() {
    }

    /**
     * Parses {@code name[:key=value,...]}: keys are torch.optim's argument names (lr, momentum,
     * weight_decay, betas=(0.9,0.999), …); missing keys take torch's defaults. An unknown name or key
     * fails with a message listing the valid ones; a bad value fails as the constructor does.
     * {@code path-sgd:lr=0.01,p=2} (not a torch rule) needs its state made by
     * {@link PathSGD#init(optlab.tensor.Tensor, PathStructure)}. {@code rmsprop-kurbiel:lr=0.01,rho=0.7,
     * momentum=0.9,eps=1e-9,weight_decay=0} is Kurbiel and Khaleghian's rule ({@link RmsPropKurbiel}).
     */
    public static Optimizer parse(String spec) {
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        SpecArgs a = new SpecArgs(name, colon < 0 ? "" : spec.substring(colon + 1));
        Optimizer o = switch (name) {
            case "sgd" -> SGD.parse(a);
            case "adagrad" -> Adagrad.parse(a);
            case "rmsprop" -> RMSprop.parse(a);
            case "adam" -> Adam.parse(a);
            case "adamw" -> AdamW.parse(a);
            case "path-sgd" -> PathSGD.parse(a);
            case "rmsprop-kurbiel" -> RmsPropKurbiel.parse(a);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid names are "
                    + String.join(", ", NAMES));
        };
        return o;
    }
}
