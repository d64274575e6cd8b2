package optlab.optim.internal;

import java.util.function.IntConsumer;
import optlab.tensor.backend.Backend;

/**
 * The threads an update's independent ranges run on: those of the backend that owns the run
 * ({@link Backend#forEachTask}), or the calling thread alone. Results never depend on which: the
 * ranges are fixed by the block, not by the number of threads.
 */
@FunctionalInterface
public interface Team {
    /** The calling thread alone, ranges in order. */
    Team CALLER = (tasks, task) -> {
        for (int i = 0; i < tasks; i++) {
            task.accept(i);
        }
    };

    /** Runs task(0) .. task(tasks − 1), each once, and returns when all are done. */
    void forEach(int tasks, IntConsumer task);

    static Team of(Backend backend) {
        return backend::forEachTask;
    }
}
