package optlab.experiments.loop;

import java.io.PrintStream;
import java.nio.file.Path;
import optlab.experiments.data.Dataset;
import optlab.models.Model;
import optlab.optim.Optimizer;
import optlab.tensor.BufferPool;
import optlab.tensor.backend.Backend;

/**
 * What a probe knows of its run at the start: the run folder its file goes in (null when the run writes none),
 * the model, objective, optimizer, the backend and pool of the run's thread, the total steps, the finite training
 * set (null for a stream) and the held-out set (may be null), the run's seed and a log (may be null).
 */
public record RunContext(Path dir, Model model, Objective objective, Optimizer optimizer, Backend backend,
        BufferPool pool, long totalSteps, long batchesPerEpoch, Dataset train, Dataset heldOut, long seed,
        PrintStream log) {
}
