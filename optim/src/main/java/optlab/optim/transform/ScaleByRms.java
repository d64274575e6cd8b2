package optlab.optim.transform;

import java.util.List;

/**
 * RMSprop's preconditioner (Hinton's lecture 6e; torch.optim.RMSprop): s ← αs + (1 − α)u²; centered
 * (Graves 2013) also tracks a ← αa + (1 − α)u and uses s − a²; u ← u / (√(s − a²) + ε). As in torch,
 * ε is added outside the square root (TensorFlow adds it inside). Deviation from torch: s − a² is
 * clamped at 0 before the square root, since rounding can make it slightly negative when the gradient
 * is nearly constant (torch returns NaN there; elsewhere the results agree).
 */
public record ScaleByRms(double alpha, double eps, boolean centered) implements Transform {
    @Override
    public List<StateBuffer> buffers() {
        return centered
                ? List.of(new StateBuffer("square_avg", 0), new StateBuffer("grad_avg", 0))
                : List.of(new StateBuffer("square_avg", 0));
    }
}
