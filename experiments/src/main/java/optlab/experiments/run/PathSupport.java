package optlab.experiments.run;

import optlab.models.Model;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;

/** STUB until Path-SGD lands on main. */
final class PathSupport {
    private PathSupport() {
    }

    static void unbalance(Model model, Unbalancing u, long seed, String spec) {
        throw new UnsupportedOperationException("unbalanced init: not yet");
    }

    static OptimizerState initState(Optimizer opt, Model model, String modelSpec) {
        return opt.init(model.parameters());
    }

    /** Path norm metric of the model (NaN-returning when the model has no path structure), or null when none. */
    static java.util.function.ToDoubleFunction<Model> pathNorm(Optimizer opt, Model model) {
        return null;
    }
}
