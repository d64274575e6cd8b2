package optlab.optim;

import java.util.List;
import optlab.optim.transform.Momentum;
import optlab.optim.transform.ScaleByRmsSeeded;
import optlab.optim.transform.Transform;

/**
 * The RMSprop with momentum of Kurbiel and Khaleghian, "Training of Deep Neural Networks based on
 * Distance Measures using RMSProp" (arXiv 1708.01911), as their NN_DMGA code runs it. With
 * g ← g + λw (L2 folded into the gradient; the authors use λ/B for batch size B):
 * <ul>
 * <li>first step: m = g, r = |g|, w ← w − α·m (a plain gradient step);</li>
 * <li>every later step: r ← √(ρ·r² + (1 − ρ)·g²), m ← μ·m + (1 − μ)·g/(r + ε), w ← w − α·m.</li>
 * </ul>
 * Defaults α = 0.01, ρ = 0.7, μ = 0.9, ε = 1e-9, λ = 0. The chain is [AddDecayedWeights(λ),
 * {@link ScaleByRmsSeeded}(ρ, ε), Momentum(μ, dampening μ)]: torch-style momentum with dampening μ is
 * m ← μ·m + (1 − μ)·u and m₁ = u₁, exactly the authors' average. Unlike torch's {@code rmsprop}
 * (which stays as it is): the first step is unscaled, the running square starts at g₁², and the momentum
 * averages (1 − μ)·u instead of summing u.
 */
public record RmsPropKurbiel(double lr, double rho, double momentum, double eps, double weightDecay)
        implements ChainOptimizer {

    public RmsPropKurbiel {
        Hyper.nonNegative("learning rate", lr);
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException("Invalid rho value: " + Hyper.format(rho) + " (must be in [0, 1])");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Invalid momentum value: " + Hyper.format(momentum)
                    + " (must be in [0, 1))");
        }
        Hyper.nonNegative("epsilon value", eps);
        Hyper.nonNegative("weight_decay value", weightDecay);
    }

    /** The paper's settings with the given learning rate. */
    public RmsPropKurbiel(double lr) {
        this(lr, 0.7, 0.9, 1e-9, 0);
    }

    @Override
    public String name() {
        return "rmsprop-kurbiel";
    }

    @Override
    public Chain chain() {
        List<Transform> t = Chain.gradientPrelude(false, weightDecay);
        t.add(new ScaleByRmsSeeded(rho, eps));
        t.add(new Momentum(momentum, momentum, false));
        return new Chain(name(), t);
    }

    @Override
    public String spec() {
        return SpecArgs.spec(name(), "lr", lr, "rho", rho, "momentum", momentum, "eps", eps, "weight_decay", weightDecay);
    }

    static RmsPropKurbiel parse(SpecArgs a) {
        double lr = a.real("lr", 1e-2);
        double rho = a.real("rho", 0.7);
        double momentum = a.real("momentum", 0.9);
        double eps = a.real("eps", 1e-9);
        double weightDecay = a.real("weight_decay", 0);
        a.finish();
        return new RmsPropKurbiel(lr, rho, momentum, eps, weightDecay);
    }
}
