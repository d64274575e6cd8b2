package optlab.experiments.plot;

import java.util.Objects;

/**
 * Points for a {@link ScalingFigure}, in data units (both coordinates positive; the figure takes log10):
 * drawn as markers, as a line, or both.
 */
public record ScalingSeries(String label, double[] x, double[] y, boolean line, boolean markers) {
    public ScalingSeries {
        Objects.requireNonNull(label, "ScalingSeries: label");
        Objects.requireNonNull(x, "ScalingSeries: x");
        Objects.requireNonNull(y, "ScalingSeries: y");
        if (x.length != y.length) {
            throw new PlotException("scaling figure: series '" + label + "' has " + x.length + " x but " + y.length + " y values");
        }
        if (!line && !markers) {
            throw new PlotException("scaling figure: series '" + label + "' must be drawn as a line, markers or both");
        }
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i]))) {
                throw new PlotException("scaling figure: series '" + label + "' point " + i + " (" + x[i] + ", " + y[i]
                        + ") must be finite and positive for log axes");
            }
        }
    }

    /** Measured points: markers only. */
    public static ScalingSeries points(String label, double[] x, double[] y) {
        return new ScalingSeries(label, x, y, false, true);
    }

    /** A curve (e.g. a closed form): a line only. */
    public static ScalingSeries curve(String label, double[] x, double[] y) {
        return new ScalingSeries(label, x, y, true, false);
    }
}
