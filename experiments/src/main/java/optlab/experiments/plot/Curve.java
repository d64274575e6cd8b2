package optlab.experiments.plot;

import java.util.Arrays;

/** One line of a panel: points (x[i], y[i]) in file order, possibly with NaN where a value is missing. */
record Curve(double[] x, double[] y) {

    Curve {
        if (x.length != y.length) {
            throw new IllegalArgumentException("Curve: x has " + x.length + " points, y has " + y.length);
        }
    }

    /** The points whose y is finite (and, for a log axis, positive): what can be drawn. */
    Curve drawable(boolean logY) {
        int n = 0;
        double[] xs = new double[x.length];
        double[] ys = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logY || y[i] > 0)) {
                xs[n] = x[i];
                ys[n++] = y[i];
            }
        }
        return new Curve(Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
    }

    /**
     * Trailing moving average over {@code window} points: y'[i] = mean(y[max(0, i-window+1)..i]).
     * Trailing (not centred) so a point never depends on later steps, as when watching a live run.
     * Expects finite values (apply after {@link #drawable}).
     */
    Curve smoothed(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("smoothing window must be >= 1, got " + window);
        }
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= window) {
                sum -= y[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return new Curve(x, out);
    }

    /**
     * At most about {@code maxPoints} points: beyond that, consecutive points are grouped into
     * buckets and each bucket keeps its lowest and highest point (in x order), so spikes survive
     * while a 100k-step run does not become a 100k-segment SVG path.
     */
    Curve decimated(int maxPoints) {
        if (x.length <= maxPoints) {
            return this;
        }
        int buckets = Math.max(1, maxPoints / 2);
        double[] xs = new double[2 * buckets];
        double[] ys = new double[2 * buckets];
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * x.length / buckets);
            int to = (int) ((long) (b + 1) * x.length / buckets);
            int lo = from;
            int hi = from;
            for (int i = from + 1; i < to; i++) {
                lo = y[i] < y[lo] ? i : lo;
                hi = y[i] > y[hi] ? i : hi;
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            xs[n] = x[first];
            ys[n++] = y[first];
            if (second != first) {
                xs[n] = x[second];
                ys[n++] = y[second];
            }
        }
        return new Curve(Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
    }

    boolean isEmpty() {
        return x.length == 0;
    }
}
