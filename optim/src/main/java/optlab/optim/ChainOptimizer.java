package optlab.optim;

import optlab.tensor.Tensor;

/** An optimizer defined as a {@link Chain} of transforms; init and step just run the chain. */
public interface ChainOptimizer extends Optimizer {

    /** The transforms this rule is composed of, for these hyperparameters. */
    Chain chain();

    @Override
    default OptimizerState init(ParamSpace space) {
        return chain().init(space.values());
    }

    @Override
    default void step(OptimizerState state, Tensor params, Tensor grads, double lr) {
        chain().step(state, params, grads, lr);
    }
}
