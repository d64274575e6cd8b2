package optlab.experiments.analysis;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A power law {@code y = 10^intercept · x^slope} fitted by ordinary least squares of log10 y on
 * log10 x, with a two-sided confidence interval for the slope.
 *
 * <p>The interval is the classical one for a regression slope with Gaussian residuals:
 * {@code slope ± t(1 − (1 − confidence)/2; n − 2) · se}, where
 * {@code se = sqrt(SSE / (n − 2) / Sxx)} in log10 units. It needs n ≥ 3 points (one residual degree of
 * freedom); an exact power law has SSE = 0 and a zero-width interval. The t quantile comes from
 * Apache Commons Math.
 *
 * @param slope      fitted exponent (d log10 y / d log10 x)
 * @param intercept  log10 y at x = 1
 * @param slopeLow   lower end of the slope's confidence interval
 * @param slopeHigh  upper end of the slope's confidence interval
 * @param slopeStdErr standard error of the slope
 * @param confidence confidence level of the interval, in (0, 1), e.g. 0.95
 * @param n          number of points fitted
 * @param rSquared   coefficient of determination in log-log space (1 for an exact fit, constant y included)
 * @param xMin       smallest x fitted (the fit's range, for drawing)
 * @param xMax       largest x fitted
 */
public record PowerLawFit(double slope, double intercept, double slopeLow, double slopeHigh, double slopeStdErr,
        double confidence, int n, double rSquared, double xMin, double xMax) {

    /** Fits {@code y ≈ c·x^slope} to the points (x[i], y[i]); every x and y must be finite and positive. */
    public static PowerLawFit fit(double[] x, double[] y, double confidence) {
        if (x == null || y == null) {
            throw new IllegalArgumentException("PowerLawFit.fit: x and y must not be null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("PowerLawFit.fit: x has " + x.length + " points but y has " + y.length);
        }
        if (x.length < 3) {
            throw new IllegalArgumentException("PowerLawFit.fit: need at least 3 points for a confidence interval, got "
                    + x.length);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("PowerLawFit.fit: confidence must lie in (0, 1), got " + confidence);
        }
        int n = x.length;
        double[] lx = new double[n];
        double[] ly = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i]))) {
                throw new IllegalArgumentException("PowerLawFit.fit: point " + i + " (x=" + x[i] + ", y=" + y[i]
                        + ") is not finite and positive; a log-log fit needs both");
            }
            lx[i] = Math.log10(x[i]);
            ly[i] = Math.log10(y[i]);
        }
        // Centered sums (two passes): exact for exact power laws, no cancellation from raw sums.
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += lx[i];
            my += ly[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double dx = lx[i] - mx;
            double dy = ly[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
            xMin = Math.min(xMin, x[i]);
            xMax = Math.max(xMax, x[i]);
        }
        if (!(sxx > 0)) {
            throw new IllegalArgumentException("PowerLawFit.fit: all " + n + " x values are equal (" + x[0]
                    + "); a slope needs at least two distinct x");
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = ly[i] - (intercept + slope * lx[i]);
            sse += r * r;
        }
        double se = Math.sqrt(sse / (n - 2) / sxx);
        double t = new TDistribution(null, n - 2).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double half = t * se;
        // r² = 1 − SSE/Syy; a constant y (Syy = 0) is fitted exactly by slope 0: call that r² = 1.
        double r2 = syy > 0 ? Math.max(0, 1 - sse / syy) : 1;
        return new PowerLawFit(slope, intercept, slope - half, slope + half, se, confidence, n, r2, xMin, xMax);
    }

    /**
     * Fits only the points with {@code lo ≤ x ≤ hi} (e.g. one side of γ = 1); the rest are ignored.
     * Fails like {@link #fit} when fewer than 3 points fall in the range.
     */
    public static PowerLawFit fitInRange(double[] x, double[] y, double lo, double hi, double confidence) {
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("PowerLawFit.fitInRange: x and y must be non-null and of equal length");
        }
        int m = 0;
        for (double v : x) {
            if (v >= lo && v <= hi) {
                m++;
            }
        }
        double[] xs = new double[m];
        double[] ys = new double[m];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (x[i] >= lo && x[i] <= hi) {
                xs[k] = x[i];
                ys[k++] = y[i];
            }
        }
        if (m < 3) {
            throw new IllegalArgumentException("PowerLawFit.fitInRange: only " + m + " of " + x.length
                    + " points lie in x ∈ [" + lo + ", " + hi + "]; need at least 3");
        }
        return fit(xs, ys, confidence);
    }

    /** The fitted curve at x: {@code 10^intercept · x^slope}. */
    public double predict(double x) {
        return Math.pow(10, intercept + slope * Math.log10(x));
    }

    /** Half the width of the slope's confidence interval. */
    public double halfWidth() {
        return (slopeHigh - slopeLow) / 2;
    }

    /** Whether {@code s} lies in the slope's confidence interval (ends included). */
    public boolean slopeCovers(double s) {
        return s >= slopeLow && s <= slopeHigh;
    }

    /** E.g. {@code "slope 2.003 ± 0.012 (95% CI, n=9, r²=0.9999)"}. */
    public String describe() {
        return String.format(Locale.ROOT, "slope %.3f ± %.3f (%s%% CI, n=%d, r²=%.4f)", slope, halfWidth(),
                percent(confidence), n, rSquared);
    }

    /** The fields as an ordered map, ready for a JSON summary (Jackson writes it as an object). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slope", slope);
        m.put("slope_ci_low", slopeLow);
        m.put("slope_ci_high", slopeHigh);
        m.put("slope_stderr", slopeStdErr);
        m.put("confidence", confidence);
        m.put("intercept_log10", intercept);
        m.put("n", n);
        m.put("r_squared", rSquared);
        m.put("x_min", xMin);
        m.put("x_max", xMax);
        return m;
    }

    private static String percent(double c) {
        double p = c * 100;
        return p == Math.rint(p) ? Long.toString(Math.round(p)) : Double.toString(p);
    }
}
