package optlab.models.init;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a whole model is initialized: a rule from each parameter's {@link Role} and fan-in to an
 * {@link Initializer}. Normalization scales start at one and shifts at zero under every scheme except
 * where noted; embeddings (class token, position embedding) are N(0, 0.02²) as in timm. Distance and
 * RBF layers' centroids, widths and radii follow Kurbiel and Khaleghian under every scheme but ZEROS
 * ({@link Init#distanceCentroids}, {@link Init#distanceWidths}, {@link Init#rbfRadii}).
 */
public enum InitScheme {
    /** PyTorch's defaults: weights kaiming_uniform(a = √5) = U(±1/√fan_in), biases U(±1/√fan_in). */
    PYTORCH,
    /** He/Kaiming normal weights N(0, 2/fan_in) (ReLU gain, fan-in mode), zero biases. */
    HE,
    /** Gaussian weights N(0, 1/fan_in), zero biases. */
    GAUSSIAN,
    /** Every weight, bias and embedding zero (normalization scales still one, so the layer is defined). */
    ZEROS,
    /**
     * Every weight, bias and embedding N(0, 1), whatever the fan-in: for parameterizations that put the
     * 1/√fan_in (or 1/fan_in) into the forward pass instead (NTK, μP; see optlab.models.param).
     */
    UNIT;

    public Initializer initializer(Role role, int fanIn) {
        return switch (role) {
            case NORM_SCALE -> Init.ones();
            case NORM_SHIFT -> Init.zeros();
            case EMBEDDING -> this == ZEROS ? Init.zeros() : this == UNIT ? Init.normal(1) : Init.normal(0.02);
            case WEIGHT -> switch (this) {
                case PYTORCH -> Init.torchDefaultWeight(fanIn);
                case HE -> Init.heNormal(fanIn);
                case GAUSSIAN -> Init.gaussianFanIn(fanIn);
                case ZEROS -> Init.zeros();
                case UNIT -> Init.normal(1);
            };
            // Distance layers keep the authors' init under every scheme but ZEROS: the Linear schemes'
            // fan-in rules say nothing about centroids and widths.
            case CENTROID -> this == ZEROS ? Init.zeros() : Init.distanceCentroids();
            case WIDTH -> this == ZEROS ? Init.zeros() : Init.distanceWidths(fanIn);
            case RADIUS -> this == ZEROS ? Init.zeros() : Init.rbfRadii(fanIn);
            case BIAS -> switch (this) {
                case PYTORCH -> Init.torchDefaultBias(fanIn);
                case UNIT -> Init.normal(1);
                default -> Init.zeros();
            };
        };
    }

    /** By name, case-insensitive: pytorch, he, gaussian, zeros, unit. */
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
