package optlab.experiments.run;

/** Mean loss and accuracy of a model over a set of samples; NaN when not computed. */
public record Metrics(double loss, double accuracy) {
    public static final Metrics NONE = new Metrics(Double.NaN, Double.NaN);

    public boolean computed() {
        return !Double.isNaN(loss) || !Double.isNaN(accuracy);
    }
}
