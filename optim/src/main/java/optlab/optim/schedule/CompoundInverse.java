package optlab.optim.schedule;

/**
 * Kurbiel and Khaleghian's learning-rate decay (arXiv 1708.01911): after epoch e (1-based), α ← α/(1 + d·e),
 * compounding, so during epoch k + 1 (k epochs done) lr = base_lr / Π_{e=1..k} (1 + d·e), with d = 0.01 in
 * the paper. Over steps t with {@code stepsPerEpoch} updates per epoch, k = ⌊t / stepsPerEpoch⌋. The decay is
 * steep: the product is 1.70 after 10 epochs, 69.3 after 30, 40,813 after 49 (the rate used in epoch 50) and
 * 61,219 after 50 (so α₅₀ ≈ 1.6e-5·α₀), and it passes 10¹⁶ by 100 epochs. Not a torch scheduler (a LambdaLR
 * stepped per epoch with λ(k) = 1/Π_{e≤k}(1 + d·e) is the same).
 */
public record CompoundInverse(double baseLr, double decay, long stepsPerEpoch) implements Schedule {
    public CompoundInverse {
        if (!(decay >= 0) || !Double.isFinite(decay)) {
            throw new IllegalArgumentException("CompoundInverse: decay must be finite and >= 0, got " + decay);
        }
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("CompoundInverse: steps_per_epoch must be >= 1, got " + stepsPerEpoch);
        }
    }

    @Override
    public double lr(long t) {
        long epochs = Math.floorDiv(t, stepsPerEpoch);
        double lr = baseLr;
        for (long e = 1; e <= epochs && lr != 0; e++) {
            lr /= 1 + decay * e;
        }
        return lr;
    }
}
