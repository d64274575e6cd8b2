package optlab.experiments.run;

/** Mean loss and accuracy of a model over a set of samples; NaN when not computed. */
public record Metrics(double loss, double accuracy) {
    public static final Metrics NONE = new Metrics(Double.NaN, Double.NaN);

    @Override
    public String toString() {
        return computed() ? String.format("loss %.5g acc %.4f", loss, accuracy) : "-";
    }

    public boolean computed() {
        return !Double.isNaN(loss) || !Double.isNaN(accuracy);
    }
}
