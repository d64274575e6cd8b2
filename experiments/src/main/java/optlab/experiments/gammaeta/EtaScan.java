package optlab.experiments.gammaeta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning-rate scan of one γ0: η0 goes down the grid from {@code top} one point at a time. A run diverges
 * when a training loss is NaN/Inf; the first η0 from the top that does not is η_max. The scan then goes on
 * {@code decadesBelow} decades below η_max (all the way to {@code floor} when {@code toFloor}, as for
 * cross-entropy at γ0 &lt; 1, where the small-η behaviour is of interest) and stops; it also stops at
 * {@code floor} without ever finding a stable η0. Later divergences below η_max are recorded, not acted on.
 *
 * @param top         grid index of the first (highest) η0
 * @param floor       grid index of the lowest η0 ever run
 * @param decadesBelow decades run below η_max
 */
public record EtaScan(LogGrid grid, int top, int floor, int decadesBelow, boolean toFloor) {
    public EtaScan {
        if (floor > top || decadesBelow < 0) {
            throw new IllegalArgumentException("EtaScan: need floor <= top and decadesBelow >= 0, got top "
                    + grid.token(top) + ", floor " + grid.token(floor) + ", decades below " + decadesBelow);
        }
    }

    /** Runs (or reads) the run at grid point k; true when it diverged. */
    public interface Runner {
        boolean diverged(int k) throws IOException;
    }

    /** One scanned point: grid index and whether it diverged. */
    public record Point(int k, boolean diverged) {
    }

    /** The points run, top first, and η_max's grid index (or null when every η0 down to the floor diverged). */
    public record Outcome(List<Point> points, Integer etaMax) {
    }

    /** The points the scan visits, running each through {@code runner} in order. */
    public Outcome scan(Runner runner) throws IOException {
        List<Point> points = new ArrayList<>();
        Integer etaMax = null;
        int stop = floor;
        for (int k = top; k >= stop; k--) {
            boolean diverged = runner.diverged(k);
            points.add(new Point(k, diverged));
            if (!diverged && etaMax == null) {
                etaMax = k;
                stop = toFloor ? floor : Math.max(floor, k - decadesBelow * grid.perDecade());
            }
        }
        return new Outcome(List.copyOf(points), etaMax);
    }

    /** How many runs a scan does at most, for progress estimates before η_max is known. */
    public int expectedRuns(int guessEtaMax) {
        int max = Math.min(top, Math.max(floor, guessEtaMax));
        int low = toFloor ? floor : Math.max(floor, max - decadesBelow * grid.perDecade());
        return top - low + 1;
    }
}
