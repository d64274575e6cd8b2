package optlab.optim;

import java.util.ArrayList;
import java.util.List;
import optlab.optim.transform.AddDecayedWeights;
import optlab.optim.transform.Scale;
import optlab.optim.transform.ScaleByAdam;
import optlab.optim.transform.Transform;

/**
 * AdamW, torch.optim.AdamW (Loshchilov and Hutter): {@link ScaleByAdam}, then decoupled weight decay
 * u ← u + λp, so p ← (1 − lr·λ)p − lr·u_Adam. The decay is scaled by lr as in torch (the paper's
 * schedule multiplier η_t, not α). With weight_decay 0 the chain is Adam's, step for step.
 */
public record AdamW(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
        boolean maximize) implements ChainOptimizer {

    public AdamW {
        Hyper.nonNegative("learning rate", lr);
        Hyper.nonNegative("epsilon value", eps);
        Hyper.beta(0, beta1);
        Hyper.beta(1, beta2);
        Hyper.nonNegative("weight_decay value", weightDecay);
    }

    /** torch's defaults (betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2) with the given learning rate. */
    public AdamW(double lr) {
        this(lr, 0.9, 0.999, 1e-8, 1e-2, false, false);
    }

    public AdamW withLr(double lr) {
        return new AdamW(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public Chain chain() {
        List<Transform> t = new ArrayList<>();
        if (maximize) {
            t.add(new Scale(-1));
        }
        t.add(new ScaleByAdam(beta1, beta2, eps, amsgrad));
        if (weightDecay != 0) {
            t.add(new AddDecayedWeights(weightDecay));
        }
        return new Chain(name(), t);
    }

    @Override
    public String spec() {
        return SpecArgs.spec(name(), "lr", lr, "betas", "(" + beta1 + "," + beta2 + ")", "eps", eps, "weight_decay",
                weightDecay, "amsgrad", amsgrad, "maximize", maximize);
    }

    static AdamW parse(SpecArgs a) {
        double lr = a.real("lr", 1e-3);
        double[] betas = a.pair("betas", 0.9, 0.999);
        double eps = a.real("eps", 1e-8);
        double weightDecay = a.real("weight_decay", 1e-2);
        boolean amsgrad = a.bool("amsgrad", false);
        boolean maximize = a.bool("maximize", false);
        a.finish();
        return new AdamW(lr, betas[0], betas[1], eps, weightDecay, amsgrad, maximize);
    }
}
