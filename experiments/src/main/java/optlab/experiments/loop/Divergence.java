package optlab.experiments.loop;

import optlab.experiments.run.Finite;

/**
 * Divergence detection. The loop itself ends a run whose minibatch loss is not finite (there is no gradient to step
 * with); this probe adds the rest: a loss above {@code above} × the first step's loss (a blown-up network whose loss
 * stays finite, as under cross-entropy), and non-finite weights, scanned before every evaluation and every
 * {@code checkEvery} updates (a full scan costs ~4 ms per 19M floats, so not every step).
 */
public final class Divergence implements Probe {
    private final double above;
    private final long checkEvery;
    private double first = Double.NaN;
    private long scanned = -1;

    /**
     * @param above      factor of the first loss above which a loss counts as diverged (+∞: never)
     * @param checkEvery scan the weights every this many updates (0: only before evaluations)
     */
    public Divergence(double above, long checkEvery) {
        if (!(above > 0)) {
            throw new IllegalArgumentException("Divergence: the factor must be > 0, got " + above);
        }
        if (checkEvery < 0) {
            throw new IllegalArgumentException("Divergence: check_every must be >= 0, got " + checkEvery);
        }
        this.above = above;
        this.checkEvery = checkEvery;
    }

    @Override
    public String name() {
        return "divergence";
    }

    @Override
    public void afterBackward(StepView s) {
        if (Double.isNaN(first)) {
            first = s.loss();
        }
        if (s.loss() > above * first) {
            s.stop(s.step(), "training loss " + s.loss() + " above " + above + " times the first (" + first + ")");
        }
    }

    @Override
    public void afterUpdate(StepView s) {
        long done = s.step() + 1;
        if (checkEvery > 0 && done % checkEvery == 0) {
            scan(s, done);
        }
    }

    @Override
    public void beforeEvaluation(StepView s) {
        if (scanned != s.step()) {
            scan(s, s.step());
        }
    }

    private void scan(StepView s, long done) {
        scanned = done;
        if (!Finite.all(s.params(), s.backend())) {
            s.stop(done, "non-finite weights after " + done + " updates");
        }
    }
}
