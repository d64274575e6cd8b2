package optlab.experiments.plot;

/**
 * One run of a (γ0, η0) sweep as drawn in a {@link PhaseDiagram}: its grid point, the value its cell is
 * coloured by (e.g. final or best online test loss), and whether it diverged (then {@code value} is
 * ignored and may be NaN).
 */
public record PhaseCell(double gamma0, double eta0, double value, boolean diverged) {

    /** A run that diverged: drawn as a marked cell, no colour value. */
    public static PhaseCell divergedAt(double gamma0, double eta0) {
        return new PhaseCell(gamma0, eta0, Double.NaN, true);
    }
}
