package optlab.experiments.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The KPIs against values worked out by hand. */
class KpisTest {

    @Test
    void interpolatesAtEqualCostExactlyAtPointsAndLinearlyBetween() {
        double[] evals = {0, 10, 20, 40}, loss = {3, 2, 0, 1};
        assertEquals(2, Kpis.interpolate(evals, loss, 10));
        assertEquals(1, Kpis.interpolate(evals, loss, 15), 1e-15);
        assertEquals(0.25, Kpis.interpolate(evals, loss, 25), 1e-15);
        assertEquals(1, Kpis.interpolate(evals, loss, 40));
        assertTrue(Double.isNaN(Kpis.interpolate(evals, loss, 41)), "beyond the curve: unknown");
        assertTrue(Double.isNaN(Kpis.interpolate(evals, loss, -1)));
    }

    @Test
    void spreadOverSeedsIgnoresRunsWithoutAValue() {
        Kpis.Spread s = Kpis.Spread.of(new double[] {1, 2, Double.NaN, 3, 4});
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), s.std(), 1e-15); // Σ(x − 2.5)² = 5, over n − 1 = 3
        assertEquals(1, s.min());
        assertEquals(4, s.max());
        assertEquals(3, s.range());
        assertEquals(4, s.n());
        assertEquals(0, Kpis.Spread.of(new double[] {7}).std());
        assertEquals(0, Kpis.Spread.of(new double[] {Double.NaN}).n());
    }

    @Test
    void aRunIsUnstableWhenItDivergedOrItsLossExceedsKTimesTheFirst() {
        assertFalse(Kpis.unstable(true, new double[] {2, 5.9, 1}, 3));
        assertTrue(Kpis.unstable(true, new double[] {2, 5, 6.1}, 3));
        assertTrue(Kpis.unstable(true, new double[] {2, Double.NaN}, 3));
        assertTrue(Kpis.unstable(false, new double[] {2, 1}, 3), "stopped as diverged (NaN/Inf weights)");
        assertTrue(Kpis.unstable(true, new double[0], 3), "no step logged");
    }

    @Test
    void largestStableLrIsTheLastRungBelowTheFirstUnstableOne() {
        List<Kpis.Rung> ladder = List.of(new Kpis.Rung(4, false), new Kpis.Rung(0.5, false), new Kpis.Rung(2, true),
                new Kpis.Rung(1, false));
        assertEquals(1, Kpis.maxStable(ladder), "4 is stable again, but above the first divergence");
        assertEquals(2, Kpis.firstUnstable(ladder));
        List<Kpis.Rung> all = List.of(new Kpis.Rung(1, false), new Kpis.Rung(2, false));
        assertEquals(2, Kpis.maxStable(all));
        assertTrue(Double.isNaN(Kpis.firstUnstable(all)));
        assertTrue(Double.isNaN(Kpis.maxStable(List.of(new Kpis.Rung(1, true), new Kpis.Rung(2, false)))));
    }

    @Test
    void seedBandsAverageTheCommonEvaluations() {
        Analysis.Band b = Analysis.Band.of(List.of(new double[] {0, 4, 8}, new double[] {0, 6}),
                List.of(new double[] {3, 1, 0.5}, new double[] {2, 2}));
        assertEquals(2, b.x().length, "the shorter run sets the length");
        assertEquals(5, b.x()[1]);
        assertEquals(1.5, b.mean()[1]);
        assertEquals(1, b.lo()[1]);
        assertEquals(2, b.hi()[1]);
    }
}
