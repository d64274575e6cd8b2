package optlab.optim.schedule;

/**
 * torch's CosineAnnealingLR in closed form: lr(t) = η_min + (base_lr − η_min)·(1 + cos(π·t/T_max))/2.
 * Past T_max it keeps following the cosine (back up), as torch's closed form does; torch's recursive
 * (chainable) form agrees with it up to rounding.
 */
public record CosineAnnealing(double baseLr, long tMax, double etaMin) implements Schedule {
    public CosineAnnealing {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealing: T_max must be >= 1, got " + tMax);
        }
    }

    @Override
    public double lr(long t) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
