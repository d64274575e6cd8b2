package optlab.experiments.online;

import java.util.List;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
import optlab.tensor.DType;

/**
 * The model of an online run under its {@link Parameterization} (kind from the config's "parameterization", γ0
 * from its "gamma0"), its learning rate learningRate(eta0, width) and its automatic precision.
 */
final class OnlineModel {
    static final List<String> KINDS = List.of("mup", "ntk", "standard");

    private OnlineModel() {
    }

    static Parameterization parameterization(OnlineConfig c) {
        return Parameterization.parse(c.parameterization() + ":gamma0=" + c.gamma0());
    }

    static Model build(OnlineConfig c, DType dtype) {
        return parameterization(c).build(c.model(), dtype, InitScheme.PYTORCH, c.seed());
    }

    static double learningRate(OnlineConfig c) {
        return parameterization(c).learningRate(c.eta0(), width(c.model()));
    }

    static DType autoDtype(OnlineConfig c) {
        return parameterization(c).autoDtype();
    }

    /** The width N that μP scales the learning rate with (see {@link Parameterization#width}). */
    static int width(String spec) {
        return Parameterization.width(spec);
    }

    /** The depth L of the scaling laws (see {@link ScalingDepth}). */
    static int depth(String spec) {
        return ScalingDepth.of(spec);
    }
}
