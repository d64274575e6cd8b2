package optlab.optim.schedule;

/** torch's StepLR: lr(t) = base_lr · γ^⌊t / step_size⌋. */
public record StepLR(double baseLr, long stepSize, double gamma) implements Schedule {
    public StepLR {
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: step_size must be >= 1, got " + stepSize);
        }
    }

    @Override
    public double lr(long t) {
        return baseLr * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }
}
