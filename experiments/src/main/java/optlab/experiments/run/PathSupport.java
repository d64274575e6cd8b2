package optlab.experiments.run;

import java.util.function.ToDoubleFunction;
import optlab.models.Model;
import optlab.models.ModelSpace;
import optlab.models.init.NodeRescaling;
import optlab.models.path.PathNetworks;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.PathSGD;
import optlab.optim.PathStructure;

/**
 * What a run needs of a model's path structure ({@link PathNetworks}): Path-SGD's optimizer state, the unbalanced
 * init and the path-norm metric. Models without one (BatchNorm, attention, residual blocks, GELU, ...) are refused
 * for the first two with a {@link ConfigException} naming the model and the offending layer, and simply get no
 * path_norm column.
 */
final class PathSupport {
    private PathSupport() {
    }

    /** The structure of an MLP (flat inputs) or of a conv net fed samples of {@code sampleShape} (C, H, W). */
    private static PathStructure structure(Model model, boolean flatten, int[] sampleShape) {
        return flatten || sampleShape.length != 3 ? PathNetworks.of(model) : PathNetworks.of(model, sampleShape);
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
    static OptimizerState initState(Optimizer opt, Model model, String spec, boolean flatten, int[] sampleShape) {
        try {
            return opt.init(ModelSpace.of(model, flatten ? null : sampleShape));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("optimizer", opt.name() + " cannot step model " + spec + ": " + e.getMessage());
        }
    }

    /**
     * The path norm φ_p at the current weights (p = the Path-SGD optimizer's p, else 2), or null when the model has
     * no path structure.
     */
    static ToDoubleFunction<Model> pathNorm(Optimizer opt, Model model, boolean flatten, int[] sampleShape) {
        PathStructure s;
        try {
            s = structure(model, flatten, sampleShape);
        } catch (IllegalArgumentException e) {
            return null;
        }
        double p = opt instanceof PathSGD ps ? ps.p() : 2;
        return m -> s.pathNorm(m.parameters(), p);
    }
}
