package optlab.optim;

import optlab.tensor.Tensor;

/**
 * An update rule over one flat parameter block (the model's parameters as one contiguous tensor,
 * gradients in a second block of the same layout). The optimizer itself is an immutable value of
 * hyperparameters; everything that changes per step lives in the {@link OptimizerState} that
 * {@link #init} returns. Names, defaults and formulas follow torch.optim.
 */
public interface Optimizer {

    /** The name used in specs ({@link Optimizers#parse}), e.g. "adamw". */
    String name();

    /** The learning rate used by {@link #step(OptimizerState, Tensor, Tensor)}. */
    double lr();

    /** This optimizer as a spec string that {@link Optimizers#parse} turns back into an equal value. */
    String spec();

    /** Fresh state for {@code params} (contiguous, F32 or F64). */
    OptimizerState init(Tensor params);

    /** One step at learning rate {@code lr} (e.g. from a schedule): updates params and state in place. */
    void step(OptimizerState state, Tensor params, Tensor grads, double lr);

    /** One step at the optimizer's own learning rate. */
    default void step(OptimizerState state, Tensor params, Tensor grads) {
        step(state, params, grads, lr());
    }
}
