package optlab.optim.transform;

import java.util.List;

/**
 * One small step of an update rule, applied elementwise to the update u (which starts as the
 * gradient) on the way to p ← p − lr·u. Named optimizers are chains of these (optax style): Adam
 * is [AddDecayedWeights, ScaleByAdam]; AdamW is [ScaleByAdam, AddDecayedWeights] — the same
 * pieces, weight decay before or after the preconditioner. The set is closed (sealed) so the fused
 * kernel has a formula for every transform; see {@code optlab.optim.Chain} for how each is lowered.
 */
public sealed interface Transform
        permits Scale, AddDecayedWeights, Momentum, ScaleByAdam, ScaleByRms, ScaleByRmsSeeded, ScaleBySumOfSquares,
        InverseTimeDecay {

    /** The per-parameter state this transform keeps, under torch.optim's state names. */
    default List<StateBuffer> buffers() {
        return List.of();
    }
}
