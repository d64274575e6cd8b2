package optlab.experiments.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * A listener at fixed points of every step of the {@link TrainingLoop}: after the backward pass and before the
 * update ({@link StepView#params()} is w_t, {@link StepView#grads()} g_t), after the update (w_{t+1}), before and
 * at evaluations, at epoch ends and at the end, where it writes its own file in the run folder. A probe observes:
 * it never changes the run's losses (extra gradients come from {@link StepView#oracle()}, which restores what it
 * touches). It may end the run ({@link StepView#stop}), which is how divergence is detected. Probes attach to any
 * run through its config ({@code "probes": [...]}, see {@link ProbeSpec}), each at its own cadence.
 */
public interface Probe extends AutoCloseable {

    /** The probe's name in configs and file names. */
    String name();

    /** Before the first step. */
    default void start(RunContext run) throws IOException {
    }

    /** After backward, before the update: w_t and g_t. Not called when the loss is not finite. */
    default void afterBackward(StepView step) {
    }

    /** After the update: w_{t+1}. */
    default void afterUpdate(StepView step) {
    }

    /** Before an evaluation at {@code step} updates done (e.g. a scan for non-finite weights). */
    default void beforeEvaluation(StepView step) {
    }

    /** At an evaluation: the step (updates done) and what was measured. */
    default void atEvaluation(Evaluation eval) {
    }

    /** When epoch {@code epoch} (0-based) has ended, {@code step} updates done. */
    default void atEpochEnd(int epoch, long step) {
    }

    /** At the end (completed or diverged): write the probe's file. */
    default void atEnd(LoopResult result) throws IOException {
    }

    /** Columns this probe adds to evals.csv, after the run's own. */
    default List<String> evalColumns() {
        return List.of();
    }

    /** This probe's cells of the evals.csv row being written, in {@link #evalColumns()} order (null: empty cell). */
    default List<String> evalCells() {
        return List.of();
    }

    /** Adds the probe's figures to the run's summary.json (the root object; see {@link #finalFigures}). */
    default void summarize(ObjectNode summary) {
    }

    /** The summary's "final" object, created if absent. */
    static ObjectNode finalFigures(ObjectNode summary) {
        return summary.get("final") instanceof ObjectNode o ? o : summary.putObject("final");
    }

    @Override
    default void close() {
    }
}
