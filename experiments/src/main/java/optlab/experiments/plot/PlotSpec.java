package optlab.experiments.plot;

/**
 * How to draw a figure: the horizontal axis, a log scale for the loss panels, the moving-average
 * window for the (noisy) per-step training loss, and the image size in pixels.
 */
public record PlotSpec(XAxis x, boolean logY, int smooth, int width, int height) {

    /** 1000 px wide, 900 px high: three panels that stay legible on a laptop screen and in a paper draft. */
    public static PlotSpec defaults() {
        return new PlotSpec(XAxis.STEPS, false, 1, 1000, 900);
    }

    public PlotSpec {
        if (x == null) {
            throw new PlotException("plot: x axis must be steps or epochs");
        }
        if (smooth < 1) {
            throw new PlotException("plot: --smooth must be >= 1 (points in the moving average), got " + smooth);
        }
        if (width < 100 || height < 100) {
            throw new PlotException("plot: image size must be at least 100x100 pixels, got " + width + "x" + height);
        }
    }

    public PlotSpec withX(XAxis newX) {
        return new PlotSpec(newX, logY, smooth, width, height);
    }

    public PlotSpec withLogY(boolean newLogY) {
        return new PlotSpec(x, newLogY, smooth, width, height);
    }

    public PlotSpec withSmooth(int newSmooth) {
        return new PlotSpec(x, logY, newSmooth, width, height);
    }

    public PlotSpec withSize(int newWidth, int newHeight) {
        return new PlotSpec(x, logY, smooth, newWidth, newHeight);
    }
}
