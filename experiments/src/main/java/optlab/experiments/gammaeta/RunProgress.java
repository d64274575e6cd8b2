package optlab.experiments.gammaeta;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import optlab.experiments.online.OnlineResult;

/**
 * Progress over the single runs of all η0 scans: runs done / expected total and an ETA from the mean time of
 * the runs computed in this session. A scan's length is known once it has found η_max; until then it is guessed
 * as the mean length of the scans that have (or {@code guessPerChain} before any has). Reused runs count as done
 * but not in the time per run.
 */
final class RunProgress {
    private final PrintStream log;
    private final int chains;
    private final int guessPerChain;
    private final Map<String, Integer> known = new HashMap<>();
    private final long start = System.nanoTime();
    private int done, computed;

    RunProgress(PrintStream log, int chains, int guessPerChain) {
        this.log = log;
        this.chains = chains;
        this.guessPerChain = guessPerChain;
    }

    /** Scan {@code chain} will run {@code runs} runs in all (its η_max is known). */
    synchronized void known(String chain, int runs) {
        known.put(chain, runs);
    }

    /** The expected number of runs of the whole sweep. */
    synchronized int expected() {
        int sum = known.values().stream().mapToInt(Integer::intValue).sum();
        double perChain = known.isEmpty() ? guessPerChain : (double) sum / known.size();
        return sum + (int) Math.round(perChain * (chains - known.size()));
    }

    /** A scan's length before its η_max is known: as if η_max lay two decades below the top. */
    static int guess(Settings spec, int kg) {
        return spec.scan(kg).expectedRuns(spec.etaTop() - 2 * spec.etaGrid().perDecade());
    }

    synchronized void finished(String chain, double eta0, OnlineResult r, boolean reused) {
        done++;
        if (!reused) {
            computed++;
        }
        int expected = expected();
        double elapsed = (System.nanoTime() - start) * 1e-9;
        int left = Math.max(0, expected - done);
        // Runs go on in parallel: the remaining work spreads over the workers as it did so far.
        double eta = computed == 0 ? 0 : elapsed / computed * left;
        log.printf(Locale.ROOT, "runs %d/~%d: %s eta0=%.3g %s%s%s; elapsed %s, ETA ~%s%n", done, Math.max(done, expected),
                chain, eta0, r.status().key(), r.diverged() ? " at step " + r.divergedAt() : "",
                reused ? " (reused)" : String.format(Locale.ROOT, " in %.1f s", r.wallSeconds()), clock(elapsed), clock(eta));
    }

    synchronized int done() {
        return done;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
