package optlab.optim.transform;

import java.util.List;

/**
 * Heavy-ball momentum as torch.optim.SGD defines it: b₁ = u₁ on the first step, then
 * b_t = μ·b_{t−1} + (1 − dampening)·u_t; the update is b_t, or u_t + μ·b_t with Nesterov.
 * This differs from Sutskever et al. (2013), where v = μv − lr·g and p ← p + v: there the learning
 * rate sits inside the buffer, so the two agree only while lr is constant. RMSprop's momentum is this
 * transform with dampening 0 (its zero-initialized buffer gives b₁ = u₁ too).
 */
public record Momentum(double momentum, double dampening, boolean nesterov) implements Transform {
    @Override
    public List<StateBuffer> buffers() {
        return List.of(new StateBuffer("momentum_buffer", 0));
    }
}
