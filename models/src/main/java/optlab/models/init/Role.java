package optlab.models.init;

/**
 * What a parameter is for, which decides its initial values under an {@link InitScheme}: layers
 * declare roles and fan-ins, schemes turn them into numbers.
 */
public enum Role {
    /** A Linear or Conv2d weight (fan-in = in_features, or in_channels·kh·kw). */
    WEIGHT,
    /** The bias of a Linear or Conv2d layer (fan-in of its weight). */
    BIAS,
    /** The scale γ of a normalization layer (PyTorch: ones). */
    NORM_SCALE,
    /** The shift β of a normalization layer (PyTorch: zeros). */
    NORM_SHIFT,
    /** A learned embedding such as a class token or position embedding (timm: N(0, 0.02²)). */
    EMBEDDING
}
