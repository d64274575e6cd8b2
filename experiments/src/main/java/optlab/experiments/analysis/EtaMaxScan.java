package optlab.experiments.analysis;

import java.util.function.DoublePredicate;

/**
 * Finds a learning-rate threshold by trying runs: a log grid scanned from the top (as the sweeps scan η0
 * downwards) locates the first passing grid point, and bisection in log η between it and the failing point
 * above refines the edge. The predicate should pass below one threshold and fail above it: an island of
 * passing η above the edge would be found first from the top. Where islands exist (GD that blows up, then
 * stays bounded again at a larger η, as the toy does for L = 3), {@link #lastPassingAbove} scans upward from
 * a known passing η instead and reports the lower edge of the failing set.
 */
public final class EtaMaxScan {
    private EtaMaxScan() {
    }

    /**
     * The edge found: {@code eta} passes, {@code eta·(1 + relWidth)} or the next grid point fails.
     * {@code censored} when even {@code hi} passed (the true edge is at or above hi); {@code eta} is NaN when
     * nothing down to {@code lo} passed. {@code trials} counts the runs made.
     */
    public record Edge(double eta, boolean censored, int trials) {
        public boolean found() {
            return !Double.isNaN(eta);
        }
    }

    /**
     * The largest η in [lo, hi] that passes {@code ok}: grid η = 10^(k/perDecade) downward from hi, then
     * log-bisection until the bracket's ratio is below 1 + relTol.
     */
    public static Edge largestPassing(DoublePredicate ok, double lo, double hi, int perDecade, double relTol) {
        if (!(lo > 0 && hi > lo && Double.isFinite(hi))) {
            throw new IllegalArgumentException("EtaMaxScan: need 0 < lo < hi finite, got lo=" + lo + ", hi=" + hi);
        }
        if (perDecade < 1 || !(relTol > 0)) {
            throw new IllegalArgumentException("EtaMaxScan: need perDecade >= 1 and relTol > 0, got " + perDecade + ", " + relTol);
        }
        int trials = 0;
        int top = (int) Math.floor(Math.log10(hi) * perDecade + 1e-9);
        int bottom = (int) Math.ceil(Math.log10(lo) * perDecade - 1e-9);
        double failing = Double.NaN;
        double passing = Double.NaN;
        for (int k = top; k >= bottom; k--) {
            double eta = Math.pow(10, (double) k / perDecade);
            trials++;
            if (ok.test(eta)) {
                passing = eta;
                break;
            }
            failing = eta;
        }
        if (Double.isNaN(passing)) {
            return new Edge(Double.NaN, false, trials);
        }
        if (Double.isNaN(failing)) {
            return new Edge(passing, true, trials);
        }
        while (failing / passing > 1 + relTol) {
            double mid = Math.sqrt(passing * failing);
            trials++;
            if (ok.test(mid)) {
                passing = mid;
            } else {
                failing = mid;
            }
        }
        return new Edge(passing, false, trials);
    }

    /**
     * Scanning upward from {@code start} (which passes) on the grid 10^(k/perDecade), the last grid point
     * before the first failing one, or {@code start} if the first grid point above already fails. Censored
     * when everything up to {@code hi} passed.
     */
    public static Edge lastPassingAbove(DoublePredicate ok, double start, double hi, int perDecade) {
        if (!(start > 0 && hi > start && Double.isFinite(hi)) || perDecade < 1) {
            throw new IllegalArgumentException("EtaMaxScan: need 0 < start < hi finite and perDecade >= 1, got start="
                    + start + ", hi=" + hi + ", perDecade=" + perDecade);
        }
        int trials = 0;
        double last = start;
        for (int k = (int) Math.floor(Math.log10(start) * perDecade + 1e-9) + 1; ; k++) {
            double eta = Math.pow(10, (double) k / perDecade);
            if (eta > hi) {
                return new Edge(last, true, trials);
            }
            trials++;
            if (!ok.test(eta)) {
                return new Edge(last, false, trials);
            }
            last = eta;
        }
    }
}
