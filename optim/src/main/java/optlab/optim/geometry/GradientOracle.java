package optlab.optim.geometry;

import optlab.tensor.Tensor;

/**
 * The gradient of a fixed loss at given parameters: the caller implements it by a forward and backward pass
 * on a fixed batch (no fresh data, no fresh dropout masks), so that two calls at the same parameters give
 * the same gradient. {@link HessianTop} differentiates it once more by finite differences.
 */
@FunctionalInterface
public interface GradientOracle {
    /**
     * Writes ∇ℓ(params) into {@code gradOut} (same dtype and number of elements as {@code params}). The
     * implementation may read {@code params} but must not change it.
     */
    void gradient(Tensor params, Tensor gradOut);
}
