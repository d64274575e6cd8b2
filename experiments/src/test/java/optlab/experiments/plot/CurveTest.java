package optlab.experiments.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CurveTest {

    @Test
    void drawableDropsNonFiniteAndForLogNonPositive() {
        Curve c = new Curve(new double[] {0, 1, 2, 3, 4}, new double[] {1, Double.NaN, 0, Double.POSITIVE_INFINITY, 2});
        assertArrayEquals(new double[] {0, 2, 4}, c.drawable(false).x());
        assertArrayEquals(new double[] {0, 4}, c.drawable(true).x());
    }

    @Test
    void trailingMovingAverage() {
        Curve c = new Curve(new double[] {1, 2, 3, 4, 5}, new double[] {1, 3, 5, 7, 9}).smoothed(3);
        assertArrayEquals(new double[] {1, 2, 3, 5, 7}, c.y(), 1e-12);
        assertArrayEquals(new double[] {1, 3, 5, 7, 9}, new Curve(c.x(), new double[] {1, 3, 5, 7, 9}).smoothed(1).y());
        assertThrows(IllegalArgumentException.class, () -> c.smoothed(0));
    }

    @Test
    void decimationKeepsSpikesAndBoundsPointCount() {
        int n = 100_003;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 1.0 / (1 + i);
        }
        y[54_321] = 50; // a spike must survive
        Curve d = new Curve(x, y).decimated(1000);
        assertEquals(true, d.x().length <= 1000);
        assertEquals(50.0, java.util.Arrays.stream(d.y()).max().orElseThrow());
        assertEquals(1.0, d.y()[0]);
        for (int i = 1; i < d.x().length; i++) {
            assertEquals(true, d.x()[i] > d.x()[i - 1], "x stays increasing");
        }
        Curve small = new Curve(new double[] {1, 2}, new double[] {3, 4});
        assertEquals(small, small.decimated(1000));
    }

    @Test
    void epochsInterpolateThroughEvaluationsAndExtrapolate() {
        Evals e = new Evals(new double[] {100, 200}, new double[] {1, 2}, new double[2], new double[2], new double[2], new double[2]);
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 3}, e.epochsAt(new double[] {0, 50, 100, 150, 300}, "r"), 1e-12);
        Evals none = new Evals(new double[] {100}, new double[] {Double.NaN}, new double[1], new double[1], new double[1], new double[1]);
        assertThrows(PlotException.class, () -> none.epochsAt(new double[] {1}, "r"));
    }
}
