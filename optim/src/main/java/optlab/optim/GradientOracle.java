package optlab.optim;

import optlab.tensor.Tensor;

/**
 * The gradient of a fixed loss at given parameters: the closure of torch.optim's {@code step(closure)}. The
 * training loop binds one to the current minibatch (same data, same dropout masks) and passes it to rules that
 * {@linkplain Optimizer#needsOracle need one}: Runge–Kutta-style rules evaluate it again at trial points, Hessian
 * and geometry probes at perturbed or fixed points. Two calls at the same parameters give the same gradient, bit
 * for bit.
 *
 * <p>Aliasing, the trap of closure-based integrators: an oracle bound to a model computes in the model's own
 * gradient block, so after a call the {@code grads} tensor the loop passed to {@link Optimizer#step} holds the
 * last evaluation, not the step's gradient. A rule that still needs the step's gradient after calling the oracle
 * copies it first (into {@link OptimizerState#scratch}).
 */
@FunctionalInterface
public interface GradientOracle {
    /**
     * Writes ∇ℓ(params) into {@code gradOut} (same dtype and number of elements as {@code params}). The
     * implementation may read {@code params} but must not change it; {@code gradOut} may be the loop's gradient
     * block itself.
     */
    void gradient(Tensor params, Tensor gradOut);
}
