package optlab.optim;

import java.util.List;
import optlab.optim.transform.ScaleByAdam;
import optlab.optim.transform.Transform;

/**
 * Adam, torch.optim.Adam: g ← g + λp (L2 folded into the gradient, not decoupled; see {@link AdamW}),
 * then {@link ScaleByAdam} (betas, eps, amsgrad) and p ← p − lr·u.
 */
public record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
        boolean maximize) implements ChainOptimizer {

    public Adam {
        Hyper.nonNegative("learning rate", lr);
        Hyper.nonNegative("epsilon value", eps);
        Hyper.beta(0, beta1);
        Hyper.beta(1, beta2);
        Hyper.nonNegative("weight_decay value", weightDecay);
    }

    /** torch's defaults (betas (0.9, 0.999), eps 1e-8) with the given learning rate. */
    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-8, 0, false, false);
    }

    public Adam withLr(double lr) {
        return new Adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public Chain chain() {
        List<Transform> t = Chain.gradientPrelude(maximize, weightDecay);
        t.add(new ScaleByAdam(beta1, beta2, eps, amsgrad));
        return new Chain(name(), t);
    }

    @Override
    public String spec() {
        return SpecArgs.spec(name(), "lr", lr, "betas", "(" + beta1 + "," + beta2 + ")", "eps", eps, "weight_decay",
                weightDecay, "amsgrad", amsgrad, "maximize", maximize);
    }

    static Adam parse(SpecArgs a) {
        double lr = a.real("lr", 1e-3);
        double[] betas = a.pair("betas", 0.9, 0.999);
        double eps = a.real("eps", 1e-8);
        double weightDecay = a.real("weight_decay", 0);
        boolean amsgrad = a.bool("amsgrad", false);
        boolean maximize = a.bool("maximize", false);
        a.finish();
        return new Adam(lr, betas[0], betas[1], eps, weightDecay, amsgrad, maximize);
    }
}
