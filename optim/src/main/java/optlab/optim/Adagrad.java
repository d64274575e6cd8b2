package optlab.optim;

import java.util.List;
import optlab.optim.transform.InverseTimeDecay;
import optlab.optim.transform.ScaleBySumOfSquares;
import optlab.optim.transform.Transform;

/**
 * AdaGrad, torch.optim.Adagrad: at step t, g ← g + λp, s ← s + g² (s₀ = initial_accumulator_value),
 * p ← p − lr/(1 + (t − 1)·lr_decay) · g / (√s + ε).
 */
public record Adagrad(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps,
        boolean maximize) implements ChainOptimizer {

    public Adagrad {
        Hyper.nonNegative("learning rate", lr);
        Hyper.nonNegative("lr_decay value", lrDecay);
        Hyper.nonNegative("weight_decay value", weightDecay);
        Hyper.nonNegative("initial_accumulator_value value", initialAccumulatorValue);
        Hyper.nonNegative("epsilon value", eps);
    }

    /** torch's defaults with the given learning rate. */
    public Adagrad(double lr) {
        this(lr, 0, 0, 0, 1e-10, false);
    }

    public Adagrad withLr(double lr) {
        return new Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public Chain chain() {
        List<Transform> t = Chain.gradientPrelude(maximize, weightDecay);
        t.add(new ScaleBySumOfSquares(eps, initialAccumulatorValue));
        if (lrDecay != 0) {
            t.add(new InverseTimeDecay(lrDecay));
        }
        return new Chain(name(), t);
    }

    @Override
    public String spec() {
        return SpecArgs.spec(name(), "lr", lr, "lr_decay", lrDecay, "weight_decay", weightDecay,
                "initial_accumulator_value", initialAccumulatorValue, "eps", eps, "maximize", maximize);
    }

    static Adagrad parse(SpecArgs a) {
        double lr = a.real("lr", 1e-2);
        double lrDecay = a.real("lr_decay", 0);
        double weightDecay = a.real("weight_decay", 0);
        double initialAccumulatorValue = a.real("initial_accumulator_value", 0);
        double eps = a.real("eps", 1e-10);
        boolean maximize = a.bool("maximize", false);
        a.finish();
        return new Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
    }
}
