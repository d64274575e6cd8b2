package optlab.experiments.pathsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The step-size rule: lowest final validation error among completed runs, ties to the larger step. */
class StepSelectionTest {
    static StepSelection.Candidate c(int alpha, String status, double err) {
        return new StepSelection.Candidate(alpha, Settings.lr(alpha), status, err);
    }

    @Test
    void lowestValidationErrorWins() {
        assertEquals(2, StepSelection.choose(List.of(c(1, "completed", 0.20), c(2, "completed", 0.12),
                c(3, "completed", 0.15))).orElseThrow().alpha());
    }

    @Test
    void tiesGoToTheLargerStepWhateverTheOrder() {
        assertEquals(1, StepSelection.choose(List.of(c(3, "completed", 0.1), c(1, "completed", 0.1),
                c(2, "completed", 0.1))).orElseThrow().alpha());
        assertEquals(2, StepSelection.choose(List.of(c(3, "completed", 0.1), c(2, "completed", 0.1))).orElseThrow().alpha());
    }

    @Test
    void divergedFailedAndMissingRunsAreNeverChosen() {
        // The diverged run "has" a lower error on record; it must not count.
        assertEquals(3, StepSelection.choose(List.of(c(1, "diverged", 0.01), c(2, "failed", 0.02),
                c(3, "completed", 0.3), c(4, "completed", Double.NaN))).orElseThrow().alpha());
        assertTrue(StepSelection.choose(List.of(c(1, "diverged", Double.NaN), c(2, "missing", Double.NaN))).isEmpty());
        assertTrue(StepSelection.choose(List.of()).isEmpty());
    }

    @Test
    void stepSizesAreExactDecimals() {
        assertEquals(1.0, Settings.lr(0));
        assertEquals(0.001, Settings.lr(3));
        assertEquals("sgd:lr=0.001", Method.SGD.optimizer(Settings.lr(3)));
        assertEquals("path-sgd:lr=1.0E-4,p=2", Method.PATH_SGD.optimizer(Settings.lr(4)));
    }
}
