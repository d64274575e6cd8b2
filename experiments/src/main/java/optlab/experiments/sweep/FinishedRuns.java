package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optlab.experiments.run.RunConfig;

/**
 * A recipe resumes into an existing folder only when each finished run folder in it holds the run its grid point
 * describes: a folder holding a finished run of other settings is refused, naming the fields that differ.
 */
public final class FinishedRuns {
    private FinishedRuns() {
    }

    /** Throws IllegalArgumentException (prefixed with {@code recipe}) at the first finished folder of other settings. */
    public static void check(String recipe, List<RunConfig> grid) {
        for (RunConfig c : grid) {
            Path folder = c.out();
            if (!SweepFolders.done(folder)) {
                continue;
            }
            JsonNode old = SweepFolders.summary(folder).path("config");
            RunConfig previous;
            try {
                previous = RunConfig.parse(old);
            } catch (IllegalArgumentException e) {
                previous = null;
            }
            if (previous == null || !sameRun(previous, c)) {
                throw new IllegalArgumentException(recipe + ": " + folder + " holds a finished run of other settings than "
                        + "this command's (" + (previous == null ? "unreadable config" : diff(previous, c))
                        + "); use another --out, or delete that folder");
            }
        }
    }

    /** The same run wherever its folder was named from (runs/x vs ./runs/x): every field but out. */
    private static boolean sameRun(RunConfig a, RunConfig b) {
        ObjectNode x = a.toJson(), y = b.toJson();
        x.remove("out");
        y.remove("out");
        return x.equals(y);
    }

    private static String diff(RunConfig was, RunConfig now) {
        ObjectNode a = was.toJson(), b = now.toJson();
        List<String> fields = new ArrayList<>();
        b.fieldNames().forEachRemaining(f -> {
            if (!b.get(f).equals(a.get(f))) {
                fields.add(f + " was " + a.get(f) + ", now " + b.get(f));
            }
        });
        return String.join("; ", fields);
    }
}
