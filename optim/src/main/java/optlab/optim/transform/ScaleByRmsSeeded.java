package optlab.optim.transform;

import java.util.List;

/**
 * Kurbiel and Khaleghian's RMS preconditioner (arXiv 1708.01911; their NN_DMGA code): the first step
 * passes u through unscaled and seeds the running magnitude with it, r₁ = |u₁|; every later step
 * r ← √(ρ·r² + (1 − ρ)·u²), u ← u / (r + ε). Differs from torch's RMSprop ({@link ScaleByRms}) in
 * that first step (torch starts from s = 0 and scales the first gradient by 1/(√(1 − α)·|g| + ε)) and in
 * the paper's decay ρ = 0.7 for the running square. The state holds s = r² under torch's name
 * {@code square_avg} (so r = √s and the update is RMSprop's formula from step 2 on).
 */
public record ScaleByRmsSeeded(double rho, double eps) implements Transform {
    @Override
    public List<StateBuffer> buffers() {
        return List.of(new StateBuffer("square_avg", 0));
    }
}
