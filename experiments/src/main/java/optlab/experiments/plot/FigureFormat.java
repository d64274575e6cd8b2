package optlab.experiments.plot;

/** An output image format; the file name is the output prefix plus {@link #extension()}. */
public enum FigureFormat {
    PNG,
    SVG;

    public String extension() {
        return "." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
