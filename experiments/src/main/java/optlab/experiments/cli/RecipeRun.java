package optlab.experiments.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.SweepDeferred;
import optlab.experiments.sweep.SweepReport;

/**
 * The common end of a sweep recipe's command: build its settings and executor (a bad option exits 2 with the
 * message), run it (failures exit 1 naming what failed, bad data 2), list the files written, and exit 1 when some
 * runs failed; an executor that hands the runs to a batch system ({@link SweepDeferred}) prints how to go on, exit 0.
 */
final class RecipeRun {
    /** What a sweep recipe returns: its sweep's outcomes and the files it wrote. */
    record Done(SweepReport sweep, List<Path> files) {
    }

    /** A recipe's run on its settings, its jobs on {@code executor}. */
    interface Runner<S> {
        Done run(S settings, Executor executor) throws IOException;
    }

    private RecipeRun() {
    }

    static <S> int execute(String command, Supplier<S> settings, Function<S, Executor> executor, Runner<S> runner) {
        S s;
        Executor ex;
        try {
            s = settings.get();
            ex = executor.apply(s);
        } catch (IllegalArgumentException e) {
            System.err.println(command + ": " + e.getMessage());
            return 2;
        }
        Done r;
        try {
            r = runner.run(s, ex);
        } catch (SweepDeferred d) {
            System.out.println(command + ": " + d.getMessage());
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println(command + ": failed: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        }
        r.files().forEach(f -> System.out.println("wrote " + f));
        if (!r.sweep().allDone()) {
            System.err.println(command + ": " + r.sweep().failed().size() + " runs failed (see their summary.json "
                    + "and log.txt); run the same command again to retry them");
            return 1;
        }
        return 0;
    }
}
