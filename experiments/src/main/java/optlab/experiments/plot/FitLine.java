package optlab.experiments.plot;

import java.util.Objects;
import optlab.experiments.analysis.PowerLawFit;

/**
 * A fitted power law η0 = c·γ0^slope to draw on a {@link PhaseDiagram}: a straight line in log10-log10
 * axes over the fit's own x range, named in the legend as {@code label: slope s ± h (95% CI, ...)}.
 */
public record FitLine(String label, PowerLawFit fit) {
    public FitLine {
        Objects.requireNonNull(label, "FitLine: label");
        Objects.requireNonNull(fit, "FitLine: fit");
    }

    /** The legend text: the label and the fitted slope with its confidence interval. */
    public String legend() {
        return label + ": " + fit.describe();
    }
}
