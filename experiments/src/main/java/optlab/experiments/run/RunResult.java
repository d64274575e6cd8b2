package optlab.experiments.run;

import java.nio.file.Path;

/**
 * How a run ended. {@code divergedAtStep} is the step k whose loss (of batch k, before update k) or whose
 * incoming parameters (after update k − 1) were found non-finite; −1 unless diverged.
 */
public record RunResult(Status status, long divergedAtStep, long stepsDone, Metrics train, Metrics test,
        double wallSeconds, double samplesPerSecond, Path out) {

    public enum Status {
        COMPLETED, DIVERGED, FAILED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
