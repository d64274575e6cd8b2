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
    EMBEDDING,
    /** A distance layer's centroids (Kurbiel and Khaleghian: U[0.5, 0.8]; fan-in = in_features). */
    CENTROID,
    /** A distance layer's per-connection widths Θ (see {@link Init#distanceWidths}; fan-in = in_features). */
    WIDTH,
    /** An RBF layer's per-unit radius (see {@link Init#rbfRadii}; fan-in = in_features). */
    RADIUS
}
