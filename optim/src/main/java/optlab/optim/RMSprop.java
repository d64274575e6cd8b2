package optlab.optim;

import java.util.List;
import optlab.optim.transform.Momentum;
import optlab.optim.transform.ScaleByRms;
import optlab.optim.transform.Transform;

/**
 * RMSprop, torch.optim.RMSprop: g ← g + λp, s ← αs + (1 − α)g², centered: a ← αa + (1 − α)g and
 * s̃ = s − a², else s̃ = s; with momentum μ &gt; 0: b ← μb + g/(√s̃ + ε), p ← p − lr·b; otherwise
 * p ← p − lr·g/(√s̃ + ε).
 */
public record RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
        boolean maximize) implements ChainOptimizer {

    public RMSprop {
        Hyper.nonNegative("learning rate", lr);
        Hyper.nonNegative("epsilon value", eps);
        Hyper.nonNegative("momentum value", momentum);
        Hyper.nonNegative("weight_decay value", weightDecay);
        Hyper.nonNegative("alpha value", alpha);
    }

    /** torch's defaults with the given learning rate. */
    public RMSprop(double lr) {
        this(lr, 0.99, 1e-8, 0, 0, false, false);
    }

    public RMSprop withLr(double lr) {
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public Chain chain() {
        List<Transform> t = Chain.gradientPrelude(maximize, weightDecay);
        t.add(new ScaleByRms(alpha, eps, centered));
        if (momentum > 0) {
            t.add(new Momentum(momentum, 0, false));
        }
        return new Chain(name(), t);
    }

    @Override
    public String spec() {
        return SpecArgs.spec(name(), "lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay, "momentum",
                momentum, "centered", centered, "maximize", maximize);
    }

    static RMSprop parse(SpecArgs a) {
        double lr = a.real("lr", 1e-2);
        double alpha = a.real("alpha", 0.99);
        double eps = a.real("eps", 1e-8);
        double weightDecay = a.real("weight_decay", 0);
        double momentum = a.real("momentum", 0);
        boolean centered = a.bool("centered", false);
        boolean maximize = a.bool("maximize", false);
        a.finish();
        return new RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize);
    }
}
