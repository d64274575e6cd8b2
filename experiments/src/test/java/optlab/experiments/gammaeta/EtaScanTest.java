package optlab.experiments.gammaeta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The η0 scan's stop rule on fake runs: η_max is the first finite η0 from the top, then a fixed depth below. */
class EtaScanTest {
    static final LogGrid TWO = new LogGrid(2);

    /** Runs diverge above grid index {@code limit}; records the order in which points were asked for. */
    static EtaScan.Outcome scan(EtaScan s, int limit, List<Integer> asked) throws Exception {
        return s.scan(k -> {
            asked.add(k);
            return k > limit;
        });
    }

    @Test
    void stopsDecadesBelowEtaMax() throws Exception {
        List<Integer> asked = new ArrayList<>();
        EtaScan.Outcome o = scan(new EtaScan(TWO, 6, -24, 3, false), -2, asked);
        assertEquals(-2, o.etaMax());
        // from 1e3 down: 8 diverged (6..-1), η_max = 1e-1 (k = -2), then 3 decades = 6 more points to k = -8
        assertEquals(List.of(6, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5, -6, -7, -8), asked);
        assertEquals(15, o.points().size());
        assertEquals(true, o.points().get(7).diverged());
        assertEquals(false, o.points().get(8).diverged());
        assertEquals(TWO.value(-2), 0.1);
    }

    @Test
    void toFloorGoesOnToTheFloor() throws Exception {
        List<Integer> asked = new ArrayList<>();
        EtaScan.Outcome o = scan(new EtaScan(TWO, 2, -6, 1, true), 0, asked);
        assertEquals(0, o.etaMax());
        assertEquals(List.of(2, 1, 0, -1, -2, -3, -4, -5, -6), asked);
    }

    @Test
    void floorBoundsTheDepthBelowAndEverythingDiverging() throws Exception {
        List<Integer> asked = new ArrayList<>();
        assertEquals(-5, scan(new EtaScan(TWO, 0, -6, 3, false), -5, asked).etaMax());
        assertEquals(-6, asked.getLast());
        asked.clear();
        EtaScan.Outcome none = scan(new EtaScan(TWO, 0, -3, 3, false), -10, asked);
        assertNull(none.etaMax());
        assertEquals(List.of(0, -1, -2, -3), asked);
    }

    @Test
    void laterDivergenceIsRecordedNotActedOn() throws Exception {
        EtaScan.Outcome o = new EtaScan(TWO, 2, -10, 1, false).scan(k -> k == 2 || k == -1);
        assertEquals(1, o.etaMax());
        assertEquals(List.of(new EtaScan.Point(2, true), new EtaScan.Point(1, false), new EtaScan.Point(0, false),
                new EtaScan.Point(-1, true)), o.points());
    }

    @Test
    void expectedRunsAndBadRanges() {
        EtaScan s = new EtaScan(TWO, 6, -24, 3, false);
        assertEquals(15, s.expectedRuns(-2));
        assertEquals(7, s.expectedRuns(100), "η_max at the top: only the points below");
        assertThrows(IllegalArgumentException.class, () -> new EtaScan(TWO, -1, 0, 3, false));
        assertThrows(IllegalArgumentException.class, () -> new LogGrid(0));
        assertEquals("-1.50", TWO.token(-3));
        assertEquals("+2.00", TWO.token(4));
        assertEquals(1e-3, TWO.value(-6));
        assertEquals(Math.sqrt(10), TWO.value(1), 1e-15);
    }
}
