package optlab.models.init;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a whole model is initialized: a rule from each parameter's {@link Role} and fan-in to an
 * {@link Initializer}. Normalization scales start at one and shifts at zero under every scheme except
 * where noted; embeddings (class token, position embedding) are N(0, 0.02²) as in timm.
 */
public enum InitScheme {
    /** PyTorch's defaults: weights kaiming_uniform(a = √5) = U(±1/√fan_in), biases U(±1/√fan_in). */
    PYTORCH,
    /** He/Kaiming normal weights N(0, 2/fan_in) (ReLU gain, fan-in mode), zero biases. */
    HE,
    /** Gaussian weights N(0, 1/fan_in), zero biases. */
    GAUSSIAN,
    /** Every weight, bias and embedding zero (normalization scales still one, so the layer is defined). */
    ZEROS;

    public Initializer initializer(Role role, int fanIn) {
        return switch (role) {
            case NORM_SCALE -> Init.ones();
            case NORM_SHIFT -> Init.zeros();
            case EMBEDDING -> this == ZEROS ? Init.zeros() : Init.normal(0.02);
            case WEIGHT -> switch (this) {
                case PYTORCH -> Init.torchDefaultWeight(fanIn);
                case HE -> Init.heNormal(fanIn);
                case GAUSSIAN -> Init.gaussianFanIn(fanIn);
                case ZEROS -> Init.zeros();
            };
            case BIAS -> this == PYTORCH ? Init.torchDefaultBias(fanIn) : Init.zeros();
        };
    }

    /** By name, case-insensitive: pytorch, he, gaussian, zeros. */
    public static InitScheme byName(String name) {
        for (InitScheme s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown init scheme '" + name + "' (known: "
                + Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList() + ")");
    }
}
