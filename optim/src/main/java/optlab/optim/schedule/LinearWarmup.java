package optlab.optim.schedule;

/**
 * Linear warm-up in front of another schedule, as torch's SequentialLR([LinearLR(start_factor,
 * end_factor=1, total_iters=W), after], milestones=[W]): for t &lt; W, lr(t) = after.lr(0)·(s + (1 − s)·t/W);
 * from t = W on, lr(t) = after.lr(t − W), so the wrapped schedule starts its own clock after warm-up.
 */
public record LinearWarmup(Schedule after, long warmupSteps, double startFactor) implements Schedule {
    public LinearWarmup {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("LinearWarmup: warmup steps must be >= 0, got " + warmupSteps);
        }
        if (!(startFactor > 0 && startFactor <= 1)) {
            // torch's LinearLR: "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."
            throw new IllegalArgumentException("LinearWarmup: start_factor must be in (0, 1], got " + startFactor);
        }
    }

    @Override
    public double lr(long t) {
        if (t >= warmupSteps) {
            return after.lr(t - warmupSteps);
        }
        return after.lr(0) * (startFactor + (1 - startFactor) * t / warmupSteps);
    }
}
