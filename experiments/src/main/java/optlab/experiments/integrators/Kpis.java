package optlab.experiments.integrators;

import java.util.List;

/** The recipe's measures as plain functions of numbers: interpolation at equal cost, seed spread, stability. */
final class Kpis {
    private Kpis() {
    }

    /** Mean, sample standard deviation (n − 1; 0 for one value), min and max of the finite values, and their count. */
    record Spread(double mean, double std, double min, double max, int n) {
        static Spread of(double[] values) {
            int n = 0;
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    n++;
                    sum += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (n == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double mean = sum / n, ss = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    ss += (v - mean) * (v - mean);
                }
            }
            return new Spread(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max, n);
        }

        double range() {
            return max - min;
        }
    }

    /**
     * y at x = {@code at} by linear interpolation between the points (x increasing); exact at a point; NaN outside
     * [x₀, x_last] or where a neighbour is not finite.
     */
    static double interpolate(double[] x, double[] y, double at) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] == at) {
                return y[i];
            }
            if (i > 0 && x[i - 1] < at && at < x[i]) {
                double t = (at - x[i - 1]) / (x[i] - x[i - 1]);
                return y[i - 1] + t * (y[i] - y[i - 1]);
            }
        }
        return Double.NaN;
    }

    /**
     * Whether a run counts as unstable: it did not complete (diverged: NaN/Inf), or a minibatch loss is not finite
     * or exceeds {@code factor} × the first step's.
     */
    static boolean unstable(boolean completed, double[] stepLoss, double factor) {
        if (!completed || stepLoss.length == 0) {
            return true;
        }
        double limit = factor * stepLoss[0];
        for (double l : stepLoss) {
            if (!Double.isFinite(l) || l > limit) {
                return true;
            }
        }
        return false;
    }

    /** One rung of a ladder: a step size and whether the run there was unstable. */
    record Rung(double lr, boolean unstable) {
    }

    /**
     * The largest lr of the ladder below its first unstable rung (rungs taken in increasing lr; a stable rung above
     * an unstable one does not count): NaN when the smallest is already unstable.
     */
    static double maxStable(List<Rung> ladder) {
        double best = Double.NaN;
        for (Rung r : ladder.stream().sorted((a, b) -> Double.compare(a.lr(), b.lr())).toList()) {
            if (r.unstable()) {
                break;
            }
            best = r.lr();
        }
        return best;
    }

    /** The first unstable lr of the ladder in increasing order, NaN when none is. */
    static double firstUnstable(List<Rung> ladder) {
        return ladder.stream().filter(Rung::unstable).mapToDouble(Rung::lr).min().orElse(Double.NaN);
    }
}
