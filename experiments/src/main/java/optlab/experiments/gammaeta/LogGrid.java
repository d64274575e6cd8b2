package optlab.experiments.gammaeta;

import java.util.Locale;

/**
 * Points 10^(k/r) of a log grid with r points per decade, named by the integer k so that grid values are exact
 * keys (no floating-point comparison of learning rates) and folder names are stable: k = −6, r = 2 is 1e-3.
 */
public record LogGrid(int perDecade) {
    public LogGrid {
        if (perDecade < 1 || perDecade > 100) {
            throw new IllegalArgumentException("LogGrid: points per decade must be in [1, 100], got " + perDecade);
        }
    }

    /** 10^(k / perDecade), exact at whole decades. */
    public double value(int k) {
        return k % perDecade == 0 ? Double.parseDouble("1e" + k / perDecade) : Math.pow(10, (double) k / perDecade);
    }

    /** log10 of point k. */
    public double log10(int k) {
        return (double) k / perDecade;
    }

    /** The index of the grid point nearest to {@code log10x}. */
    public int index(double log10x) {
        return (int) Math.round(log10x * perDecade);
    }

    /** A folder-name token for point k, e.g. "-1.5" or "+2.0". */
    public String token(int k) {
        return String.format(Locale.ROOT, "%+.2f", log10(k));
    }
}
