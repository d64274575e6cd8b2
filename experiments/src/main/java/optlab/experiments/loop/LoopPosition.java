package optlab.experiments.loop;

/**
 * Where a run stands between two steps: {@code step} updates done, and the loop's running totals at that point
 * (samples trained on, nanoseconds spent in steps, gradient evaluations). A checkpoint saves it and a resumed
 * {@link TrainingLoop} starts from it; the batch order, the schedule and the model's dropout counter are functions
 * of {@code step} and the seed, so nothing else of the loop needs saving.
 */
public record LoopPosition(long step, long samples, long trainNanos, long gradientEvaluations) {
    /** A run that has not started. */
    public static final LoopPosition START = new LoopPosition(0, 0, 0, 0);

    public LoopPosition {
        if (step < 0 || samples < 0 || trainNanos < 0 || gradientEvaluations < 0) {
            throw new IllegalArgumentException("LoopPosition: negative count in " + step + ", " + samples + ", "
                    + trainNanos + ", " + gradientEvaluations);
        }
    }
}
