package optlab.experiments.run;

import java.nio.file.Path;

/**
 * How a run ended. {@code divergedAtStep} is the step k whose loss (of batch k, before update k) or whose
 * incoming parameters (after update k − 1) were found non-finite; −1 unless diverged. {@code poolBytesAfterFirstStep}
 * and {@code poolBytesAtEnd} (before the final evaluation) measure the step buffers' pool: equal when the loop
 * allocated nothing new after its first step (an odd-sized last batch of an epoch adds its sizes once).
 */
public record RunResult(Status status, long divergedAtStep, long stepsDone, Metrics train, Metrics test,
        double wallSeconds, double samplesPerSecond, long poolBytesAfterFirstStep, long poolBytesAtEnd, Path out) {

    public enum Status {
        COMPLETED, DIVERGED, FAILED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
