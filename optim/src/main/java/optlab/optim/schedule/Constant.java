package optlab.optim.schedule;

/** lr(t) = lr. */
public record Constant(double lr) implements Schedule {
    @Override
    public double lr(long t) {
        return lr;
    }
}
