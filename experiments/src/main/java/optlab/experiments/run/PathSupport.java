package optlab.experiments.run;

import optlab.models.Model;
import optlab.models.ModelSpace;
import optlab.models.init.NodeRescaling;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;

/**
 * What a run needs of a model's structure: the optimizer's state over the model's {@link ModelSpace} (Path-SGD asks it
 * for the path structure) and the unbalanced init. Models without a path structure (BatchNorm, attention, residual
 * blocks, GELU, ...) are refused for both with a {@link ConfigException} naming the model and the offending layer.
 */
final class PathSupport {
    private PathSupport() {
    }

    /** Rescales hidden units of the freshly initialized model in place (seeded by the run's seed). */
    static void unbalance(Model model, Unbalancing u, long seed, String spec) {
        try {
            new NodeRescaling(u.units(), u.sigma()).apply(model, seed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("init.unbalanced", "the unbalanced init rescales hidden units of a network of "
                    + "linear/conv layers, ReLU and pooling; model " + spec + " is not one: " + e.getMessage());
        }
    }

    /** The optimizer's state for the model; a model without the structure the rule needs is a config error. */
    static OptimizerState initState(Optimizer opt, ModelSpace space, String spec) {
        try {
            return opt.init(space);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("optimizer", opt.name() + " cannot step model " + spec + ": " + e.getMessage());
        }
    }
}
