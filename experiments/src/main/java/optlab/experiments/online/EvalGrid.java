package optlab.experiments.online;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps at which an online run evaluates: 0 and the 1-2-5 grid (1, 2, 5, 10, 20, 50, ...) below the last
 * step, then the last step itself. Log-spaced, so a curve over many decades of time gets a few points per decade
 * and evaluation costs O(log T) however long the run.
 */
public final class EvalGrid {
    private EvalGrid() {
    }

    /** The evaluation steps of a run of {@code total} steps, ascending, without repeats. */
    public static long[] steps(long total) {
        if (total < 0) {
            throw new IllegalArgumentException("EvalGrid.steps: total steps must be >= 0, got " + total);
        }
        List<Long> out = new ArrayList<>();
        out.add(0L);
        outer:
        for (long decade = 1; ; decade *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                long s = m * decade;
                if (s >= total) {
                    break outer;
                }
                out.add(s);
            }
            if (decade > Long.MAX_VALUE / 100) {
                break;
            }
        }
        if (total > 0) {
            out.add(total);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
