package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForkScoresTest {

    @Test
    void medianMinMaxAndScaling() {
        ForkScores odd = new ForkScores(List.of(3.0, 1.0, 2.0));
        assertEquals(2.0, odd.median());
        assertEquals(1.0, odd.min());
        assertEquals(3.0, odd.max());
        assertEquals(2.5, new ForkScores(List.of(4.0, 1.0, 2.0, 3.0)).median());
        assertEquals(List.of(6.0, 2.0, 4.0), odd.scaled(2).perFork());
    }

    @Test
    void flagsASlowForkMoreThanTwentyPercentBelowTheMedian() {
        assertFalse(new ForkScores(List.of(10.0, 10.0, 8.0)).unstable());
        ForkScores slow = new ForkScores(List.of(10.0, 10.0, 7.9));
        assertTrue(slow.unstable());
        assertEquals("7.90/10.0/10.0 !", slow.spread());
        assertFalse(new ForkScores(List.of(5.0)).unstable());
    }

    @Test
    void needsAtLeastOneFork() {
        assertThrows(IllegalArgumentException.class, () -> new ForkScores(List.of()));
    }
}
