package optlab.experiments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EtaMaxScanTest {

    @Test
    void findsAKnownEdgeToTheRequestedResolution() {
        for (double edge : new double[] {3.7e-9, 1.0, 0.31622, 4.2e5}) {
            EtaMaxScan.Edge e = EtaMaxScan.largestPassing(eta -> eta <= edge, 1e-12, 1e8, 4, 1e-6);
            assertTrue(e.found() && !e.censored());
            assertTrue(e.eta() <= edge && e.eta() >= edge / (1 + 1e-6), edge + " -> " + e.eta());
            assertTrue(e.trials() < 100, "grid then bisection, not an exhaustive search: " + e.trials());
        }
    }

    @Test
    void reportsNothingFoundAndCensoredEdges() {
        assertFalse(EtaMaxScan.largestPassing(eta -> false, 1e-3, 1e3, 2, 1e-3).found());
        EtaMaxScan.Edge top = EtaMaxScan.largestPassing(eta -> true, 1e-3, 1e3, 2, 1e-3);
        assertTrue(top.censored());
        assertEquals(1e3, top.eta(), 1e-9);
    }

    /** Upward scan stops below the first failure even when a passing island lies further up. */
    @Test
    void upwardScanReportsTheLowerEdgeOfTheFailingSet() {
        EtaMaxScan.Edge e = EtaMaxScan.lastPassingAbove(eta -> eta < 2.05 || (eta > 5 && eta < 6), 1.0, 100, 10);
        assertEquals(Math.pow(10, 3 / 10.0), e.eta(), 1e-12); // grid 10^0.1, 10^0.2, 10^0.3 = 1.995 pass; 10^0.4 fails
        assertFalse(e.censored());
        assertTrue(EtaMaxScan.lastPassingAbove(eta -> true, 1.0, 10, 4).censored());
    }

    @Test
    void badRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> EtaMaxScan.largestPassing(eta -> true, 0, 1, 4, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> EtaMaxScan.largestPassing(eta -> true, 2, 1, 4, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> EtaMaxScan.lastPassingAbove(eta -> true, 2, 1, 4));
    }
}
