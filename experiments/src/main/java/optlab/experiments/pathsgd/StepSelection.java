package optlab.experiments.pathsgd;

import java.util.List;
import java.util.Optional;

/**
 * How a method's step size is chosen from its grid, separately for each init: among the runs that completed
 * (diverged and failed runs are out), the one with the lowest validation error after the last epoch; on a tie
 * (the same error, i.e. the same count of misclassified validation samples) the larger step, which got there
 * with the bolder setting. The paper picks "the one that reaches the minimum error faster"; with a fixed epoch
 * budget the final error is the robust reading of that (a noisy early dip does not win).
 */
public final class StepSelection {
    public static final String RULE = "lowest validation error after the last epoch among completed runs; "
            + "ties go to the larger step";

    /** One grid point: its α (lr = 10^-α), status, and validation error (0..1) after the last epoch (NaN if none). */
    public record Candidate(int alpha, double lr, String status, double validationError) {
        boolean eligible() {
            return "completed".equals(status) && Double.isFinite(validationError);
        }
    }

    private StepSelection() {
    }

    /** The chosen candidate, or empty when no run completed with a validation error. */
    public static Optional<Candidate> choose(List<Candidate> candidates) {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (!c.eligible()) {
                continue;
            }
            if (best == null || c.validationError() < best.validationError() - 1e-12
                    || (Math.abs(c.validationError() - best.validationError()) <= 1e-12 && c.lr() > best.lr())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }
}
