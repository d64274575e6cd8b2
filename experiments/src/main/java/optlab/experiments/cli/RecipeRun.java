package optlab.experiments.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import optlab.experiments.sweep.SweepReport;

/**
 * The common end of a sweep recipe's command: build its settings (a bad option exits 2 with the message), run it
 * (failures exit 1 naming what failed, bad data 2), list the files written, and exit 1 when some runs failed.
 */
final class RecipeRun {
    /** What a sweep recipe returns: its sweep's outcomes and the files it wrote. */
    record Done(SweepReport sweep, List<Path> files) {
    }

    /** A recipe's run on its settings. */
    interface Runner<S> {
        Done run(S settings) throws IOException;
    }

    private RecipeRun() {
    }

    static <S> int execute(String command, Supplier<S> settings, Runner<S> runner) {
        S s;
        try {
            s = settings.get();
        } catch (IllegalArgumentException e) {
            System.err.println(command + ": " + e.getMessage());
            return 2;
        }
        Done r;
        try {
            r = runner.run(s);
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
