package optlab.experiments.loop;

/**
 * One row of a run's step log: step t, the minibatch loss at w_t, the learning rate of update t, seconds of training
 * so far (steps only) and of wall time since the loop started, cumulative gradient evaluations, and this step's time
 * in nanoseconds: the whole step (batch, forward, backward, update) and the update alone.
 */
public record StepRecord(long step, double loss, double lr, double trainSeconds, double wallSeconds,
        long gradientEvaluations, long stepNanos, long updateNanos) {
}
