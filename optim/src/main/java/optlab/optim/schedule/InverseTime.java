package optlab.optim.schedule;

/** Inverse-time decay lr(t) = base_lr / (1 + decay·t) (torch: LambdaLR with λ(t) = 1/(1 + decay·t)). */
public record InverseTime(double baseLr, double decay) implements Schedule {
    public InverseTime {
        if (!(decay >= 0)) {
            throw new IllegalArgumentException("InverseTime: decay must be >= 0, got " + decay);
        }
    }

    @Override
    public double lr(long t) {
        return baseLr / (1 + decay * t);
    }
}
