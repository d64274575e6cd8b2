package optlab.experiments.loop;

/**
 * How the loop ended: updates done, the step at which it diverged (−1 if it did not) and why, samples trained on,
 * nanoseconds spent in steps (evaluations and probe files excluded), the last minibatch loss and the gradient
 * evaluations (1 per step, more for rules that call the oracle).
 */
public record LoopResult(long stepsDone, long divergedAt, String divergedBecause, long samples, long trainNanos,
        double lastLoss, long gradientEvaluations) {

    public boolean diverged() {
        return divergedAt >= 0;
    }
}
