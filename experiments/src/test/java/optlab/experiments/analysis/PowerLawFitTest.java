package optlab.experiments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.tensor.Gaussian;
import org.junit.jupiter.api.Test;

class PowerLawFitTest {

    @Test
    void exactPowerLawGivesExactSlopeInterceptAndZeroWidthInterval() {
        double[] x = {1e-3, 1e-2, 0.1, 1, 10, 100};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 3.0 * Math.pow(x[i], -0.5);
        }
        PowerLawFit f = PowerLawFit.fit(x, y, 0.95);
        assertEquals(-0.5, f.slope(), 1e-13);
        assertEquals(Math.log10(3.0), f.intercept(), 1e-13);
        assertEquals(0, f.halfWidth(), 1e-12);
        assertEquals(1, f.rSquared(), 1e-12);
        assertEquals(6, f.n());
        assertEquals(1e-3, f.xMin());
        assertEquals(100, f.xMax());
        assertEquals(3.0 * Math.pow(5, -0.5), f.predict(5), 1e-13);
    }

    /**
     * Hand-computed: log10 x = 0, 1, 2 and log10 y = 0, 1.1, 1.9 give Sxx = 2, Sxy = 1.9, slope 0.95,
     * intercept 0.05, residuals −0.05, 0.1, −0.05, SSE = 0.015, se = sqrt(0.015 / 1 / 2), Syy = 1.82, and with
     * one degree of freedom the 97.5% t quantile is tan(0.475π) = 12.7062047361747.
     */
    @Test
    void threePointsMatchHandComputation() {
        double[] x = {1, 10, 100};
        double[] y = {1, Math.pow(10, 1.1), Math.pow(10, 1.9)};
        PowerLawFit f = PowerLawFit.fit(x, y, 0.95);
        double se = Math.sqrt(0.0075);
        double t = Math.tan(0.475 * Math.PI);
        assertEquals(0.95, f.slope(), 1e-12);
        assertEquals(0.05, f.intercept(), 1e-12);
        assertEquals(se, f.slopeStdErr(), 1e-12);
        assertEquals(0.95 - t * se, f.slopeLow(), 1e-8);
        assertEquals(0.95 + t * se, f.slopeHigh(), 1e-8);
        assertEquals(1 - 0.015 / 1.82, f.rSquared(), 1e-12);
        assertTrue(f.describe().startsWith("slope 0.950 ± 1.100 (95% CI, n=3"), f.describe());
    }

    /** Five points, three degrees of freedom: the 90% interval uses t(0.95; 3) = 2.353363434801823. */
    @Test
    void fivePointsNinetyPercent() {
        double[] lx = {-2, -1, 0, 1, 2};
        double[] ly = {-3.9, -2.1, 0.1, 1.9, 4.2};
        double[] x = new double[5];
        double[] y = new double[5];
        for (int i = 0; i < 5; i++) {
            x[i] = Math.pow(10, lx[i]);
            y[i] = Math.pow(10, ly[i]);
        }
        // Sxx = 10, Sxy = 7.8 + 2.1 + 0 + 1.9 + 8.4 = 20.2; mean ly = 0.04
        double slope = 2.02;
        double b = 0.04;
        double sse = 0;
        for (int i = 0; i < 5; i++) {
            double r = ly[i] - (b + slope * lx[i]);
            sse += r * r;
        }
        double se = Math.sqrt(sse / 3 / 10);
        PowerLawFit f = PowerLawFit.fit(x, y, 0.90);
        assertEquals(slope, f.slope(), 1e-12);
        assertEquals(b, f.intercept(), 1e-12);
        assertEquals(2.353363434801823 * se, f.halfWidth(), 1e-9);
        assertTrue(f.slopeCovers(2.0));
        assertFalse(f.slopeCovers(2.5));
    }

    /** Gaussian noise in log y: the 95% interval covers the true slope in about 95% of fits. */
    @Test
    void noisyDataIntervalCoversTruthAtItsNominalRate() {
        SplittableRandom rng = new SplittableRandom(42);
        int trials = 4000;
        int covered = 0;
        double[] x = new double[8];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.pow(10, -3 + 0.5 * i);
        }
        double[] y = new double[x.length];
        for (int t = 0; t < trials; t++) {
            for (int i = 0; i < x.length; i++) {
                y[i] = 0.7 * x[i] * x[i] * Math.pow(10, 0.1 * Gaussian.next(rng));
            }
            if (PowerLawFit.fit(x, y, 0.95).slopeCovers(2.0)) {
                covered++;
            }
        }
        double rate = covered / (double) trials;
        // Binomial sd at 95% over 4000 trials is 0.0034; 0.94..0.96 is about ±3 sd.
        assertTrue(rate > 0.94 && rate < 0.96, "coverage " + rate);
    }

    @Test
    void fitInRangeUsesOnlyThatSide() {
        double[] g = {1e-3, 1e-2, 0.1, 1, 10, 100, 1000};
        double[] eta = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            eta[i] = g[i] <= 1 ? g[i] * g[i] : Math.pow(g[i], 2.0 / 3);
        }
        assertEquals(2, PowerLawFit.fitInRange(g, eta, 0, 1, 0.95).slope(), 1e-12);
        PowerLawFit large = PowerLawFit.fitInRange(g, eta, 1, Double.POSITIVE_INFINITY, 0.95);
        assertEquals(2.0 / 3, large.slope(), 1e-12);
        assertEquals(4, large.n());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PowerLawFit.fitInRange(g, eta, 200, 5000, 0.95));
        assertTrue(e.getMessage().contains("only 1 of 7"), e.getMessage());
    }

    @Test
    void badInputFailsWithClearMessages() {
        double[] ok = {1, 2, 3};
        assertMessage("3 points but y has 2", () -> PowerLawFit.fit(ok, new double[] {1, 2}, 0.95));
        assertMessage("at least 3 points", () -> PowerLawFit.fit(new double[] {1, 2}, new double[] {1, 2}, 0.95));
        assertMessage("point 1 (x=0.0", () -> PowerLawFit.fit(new double[] {1, 0, 3}, ok, 0.95));
        assertMessage("not finite and positive", () -> PowerLawFit.fit(ok, new double[] {1, Double.NaN, 3}, 0.95));
        assertMessage("confidence must lie in (0, 1)", () -> PowerLawFit.fit(ok, ok, 1.0));
        assertMessage("all 3 x values are equal", () -> PowerLawFit.fit(new double[] {2, 2, 2}, ok, 0.95));
    }

    @Test
    void mapForJsonNamesTheFields() {
        var m = PowerLawFit.fit(new double[] {1, 10, 100}, new double[] {1, 100, 1e4}, 0.95).toMap();
        assertEquals(2.0, (double) m.get("slope"), 1e-12);
        assertTrue(m.containsKey("slope_ci_low") && m.containsKey("slope_ci_high") && m.containsKey("r_squared"));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
