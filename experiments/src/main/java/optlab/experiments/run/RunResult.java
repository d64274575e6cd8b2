package optlab.experiments.run;

import java.nio.file.Path;

/**
 * How a run ended. {@code divergedAtStep} is the step k whose loss (of batch k, before update k) or whose
 * incoming parameters (after update k − 1) were found non-finite; −1 unless diverged. {@code poolBytesAfterWarmup}
 * (once an evaluation and a whole epoch of steps, its odd-sized last batch included, have run; the end for shorter
 * runs) and {@code poolBytesAtEnd} measure the buffer pool of steps and evaluations: equal when the loop allocated
 * nothing new afterwards.
 * {@code validation} is {@link Metrics#NONE} without a held-out set; {@code pathNorm} NaN unless the model has a
 * path structure (MLPs and CNNs of ReLU, pooling and linear layers).
 */
public record RunResult(Status status, long divergedAtStep, long stepsDone, Metrics train, Metrics test,
        Metrics validation, double pathNorm, double wallSeconds, double samplesPerSecond, long poolBytesAfterWarmup, long poolBytesAtEnd, Path out) {

    public enum Status {
        COMPLETED, DIVERGED, FAILED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
