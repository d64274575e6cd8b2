package optlab.optim;

import java.util.Locale;

/** Builds optimizers from spec strings such as {@code sgd:lr=0.05,momentum=0.9,nesterov=true}. */
public final class Optimizers {
    /** The names {@link #parse} accepts. */
    public static final java.util.List<String> NAMES = java.util.List.of("sgd", "adagrad", "rmsprop", "adam", "adamw",
            "path-sgd", "rmsprop-kurbiel", "euler", "heun", "midpoint", "ralston", "rk4", "rk", "ab2", "ab3", "rk23");

    private Optimizers() {
    }

    /**
     * The same optimizer at learning rate {@code lr} (its spec with lr replaced, parsed again), e.g. for runs whose lr
     * comes from elsewhere (μP's N·η0).
     */
    public static Optimizer withLr(Optimizer o, double lr) {
        String spec = o.spec();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([:,])lr=[^,;)]*").matcher(spec);
        String lrText = Double.toString(lr);
        String out;
        if (m.find()) {
            out = spec.substring(0, m.start()) + m.group(1) + "lr=" + lrText + spec.substring(m.end());
        } else {
            int colon = spec.indexOf(':'), semi = spec.indexOf(';');
            int end = semi < 0 ? spec.length() : semi;
            out = colon < 0 || colon > end ? spec.substring(0, end) + ":lr=" + lrText + spec.substring(end)
                    : spec.substring(0, colon + 1) + "lr=" + lrText + "," + spec.substring(colon + 1);
        }
        Optimizer r = parse(out);
        if (r.lr() != lr) {
            throw new IllegalStateException("Optimizers.withLr: " + spec + " at lr " + lr + " gave " + r.spec());
        }
        return r;
    }

    /**
     * Parses {@code name[:key=value,...]}: keys are torch.optim's argument names (lr, momentum,
     * weight_decay, betas=(0.9,0.999), …); missing keys take torch's defaults. An unknown name or key
     * fails with a message listing the valid ones; a bad value fails as the constructor does.
     * {@code path-sgd:lr=0.01,p=2} (not a torch rule) needs its state made by
     * {@link PathSGD#init(optlab.tensor.Tensor, PathStructure)}. The gradient-flow integrators of
     * {@code optlab.optim.integrate} (euler, heun, midpoint, ralston, rk4, rk with its tableau, ab2, ab3, rk23)
     * take SGD's keys; their grammar is on {@link IntegratorSpecs}. {@code rmsprop-kurbiel:lr=0.01,rho=0.7,
     * momentum=0.9,eps=1e-9,weight_decay=0} is Kurbiel and Khaleghian's rule ({@link RmsPropKurbiel}).
     *
     * <p>Parameter groups ({@link ParamGroups}): {@code BASE;GROUP;GROUP...}, BASE a spec as above and each GROUP
     * either {@code SELECTOR:key=value,...} (the base's hyperparameters with these keys overridden) or
     * {@code no_decay=SELECTOR} (≡ {@code SELECTOR:weight_decay=0}). SELECTOR is {@code |}-separated alternatives,
     * each a kind ({@link ParamGroups.Selector#KINDS}: bias, norm, weight, embedding, centroids, widths) or a glob
     * over state-dict names (contains {@code *} or {@code .}: {@code *.centroids}, {@code layers.0.*}); the first
     * group that selects a tensor takes it, the base takes the rest. Example:
     * {@code adamw:lr=1e-3,weight_decay=0.05;no_decay=bias|norm;layers.0.*:lr=1e-4}. Path-SGD takes no groups.
     */
    public static Optimizer parse(String spec) {
        String[] parts = spec.split(";", -1);
        Optimizer base = parseRule(parts[0]);
        return parts.length == 1 ? base
                : ParamGroups.parse(base, java.util.Arrays.asList(parts).subList(1, parts.length));
    }

    private static Optimizer parseRule(String spec) {
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        SpecArgs a = new SpecArgs(name, colon < 0 ? "" : spec.substring(colon + 1));
        return switch (name) {
            case "sgd" -> SGD.parse(a);
            case "adagrad" -> Adagrad.parse(a);
            case "rmsprop" -> RMSprop.parse(a);
            case "adam" -> Adam.parse(a);
            case "adamw" -> AdamW.parse(a);
            case "path-sgd" -> PathSGD.parse(a);
            case "rmsprop-kurbiel" -> RmsPropKurbiel.parse(a);
            case "euler", "heun", "midpoint", "ralston", "rk4", "rk", "ab2", "ab3", "rk23" -> IntegratorSpecs.parse(name, a);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid names are "
                    + String.join(", ", NAMES));
        };
    }
}
