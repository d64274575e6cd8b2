package optlab.optim;

import java.util.List;
import optlab.optim.transform.Momentum;
import optlab.optim.transform.Transform;

/**
 * Stochastic gradient descent, torch.optim.SGD: with g ← −g if maximize, g ← g + λp,
 * b ← μb + (1 − dampening)g (b₁ = g₁), g ← g + μb (Nesterov) or g ← b, and p ← p − lr·g.
 * Momentum follows PyTorch, not Sutskever et al.; see {@link Momentum}. Defaults are torch's
 * (lr = 1e-3 as in torch ≥ 2.0; torch 1.x required lr).
 */
public record SGD(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize)
        implements ChainOptimizer {

    public SGD {
        Hyper.nonNegative("learning rate", lr);
        Hyper.nonNegative("momentum value", momentum);
        Hyper.nonNegative("weight_decay value", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    /** Plain SGD at learning rate lr. */
    public SGD(double lr) {
        this(lr, 0, 0, 0, false, false);
    }

    /** SGD with (PyTorch) heavy-ball momentum. */
    public SGD(double lr, double momentum) {
        this(lr, momentum, 0, 0, false, false);
    }

    public SGD withLr(double lr) {
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Chain chain() {
        List<Transform> t = Chain.gradientPrelude(maximize, weightDecay);
        if (momentum != 0) {
            t.add(new Momentum(momentum, dampening, nesterov));
        }
        return new Chain(name(), t);
    }

    @Override
    public String spec() {
        return SpecArgs.spec(name(), "lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
                "nesterov", nesterov, "maximize", maximize);
    }

    static SGD parse(SpecArgs a) {
        double lr = a.real("lr", 1e-3);
        double momentum = a.real("momentum", 0);
        double dampening = a.real("dampening", 0);
        double weightDecay = a.real("weight_decay", 0);
        boolean nesterov = a.bool("nesterov", false);
        boolean maximize = a.bool("maximize", false);
        a.finish();
        return new SGD(lr, momentum, dampening, weightDecay, nesterov, maximize);
    }
}
