package optlab.optim;

import optlab.tensor.Tensor;

/**
 * An update rule over one flat parameter block (the model's parameters as one contiguous tensor,
 * gradients in a second block of the same layout). The optimizer itself is an immutable value of
 * hyperparameters; everything that changes per step lives in the {@link OptimizerState} that
 * {@link #init} returns. Names, defaults and formulas follow torch.optim.
 *
 * <p>Rules that need more than the gradient say so: structure of the network comes through the
 * {@link ParamSpace} at {@link #init(ParamSpace)} (Path-SGD's path structure), and re-evaluations of the
 * gradient through the {@link GradientOracle} at {@link #step(OptimizerState, Tensor, Tensor, double, GradientOracle)}
 * when {@link #needsOracle()} (Runge–Kutta-style rules, torch's {@code step(closure)}).
 */
public interface Optimizer {

    /** The name used in specs ({@link Optimizers#parse}), e.g. "adamw". */
    String name();

    /** The learning rate used by {@link #step(OptimizerState, Tensor, Tensor)}. */
    double lr();

    /**
     * The weight decay λ the rule applies (torch.optim's {@code weight_decay}; AdamW's is decoupled), 0 for rules
     * without one. Geometry probes measure the decayed gradient g + λw beside g with it. Records with a
     * {@code weightDecay} component answer through their accessor.
     */
    default double weightDecay() {
        return 0;
    }

    /** This optimizer as a spec string that {@link Optimizers#parse} turns back into an equal value. */
    String spec();

    /** Fresh state for the block {@code space} describes (contiguous, F32 or F64). */
    OptimizerState init(ParamSpace space);

    /** Fresh state for a bare block (no names, no structure). */
    default OptimizerState init(Tensor params) {
        return init(ParamSpace.of(params));
    }

    /**
     * Makes a state read by {@link OptimizerState#load} ready to step over {@code space} again: checks that it
     * fits and re-attaches what is never saved (e.g. Path-SGD's structure). Returns the same state.
     */
    default OptimizerState resume(OptimizerState loaded, ParamSpace space) {
        OptimizerState fresh = init(space);
        try {
            loaded.checkSameBuffers(name() + ".resume", fresh);
        } finally {
            fresh.close();
        }
        return loaded;
    }

    /** One step at learning rate {@code lr} (e.g. from a schedule): updates params and state in place. */
    void step(OptimizerState state, Tensor params, Tensor grads, double lr);

    /** One step at the optimizer's own learning rate. */
    default void step(OptimizerState state, Tensor params, Tensor grads) {
        step(state, params, grads, lr());
    }

    /**
     * Whether {@link #step(OptimizerState, Tensor, Tensor, double, GradientOracle)} calls the oracle. Plain rules
     * do not, and the loop then never builds one.
     */
    default boolean needsOracle() {
        return false;
    }

    /**
     * One step given the gradient {@code grads} at {@code params} and an oracle bound to the same minibatch for
     * gradients at other points. Rules that do not {@link #needsOracle() need one} ignore it. A rule that calls the
     * oracle may leave {@code grads} holding its last evaluation instead of the step's gradient (see
     * {@link GradientOracle} on aliasing): callers that need g_t after the step keep a copy.
     */
    default void step(OptimizerState state, Tensor params, Tensor grads, double lr, GradientOracle oracle) {
        step(state, params, grads, lr);
    }
}
