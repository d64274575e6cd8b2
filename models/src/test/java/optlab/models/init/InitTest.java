package optlab.models.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.models.layers.Conv2d;
import optlab.models.layers.LayerNorm;
import optlab.models.layers.Linear;
import optlab.models.layers.Sequential;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Initial values: bounds and moments of each scheme against its formula (sample sizes chosen so the
 * tolerances are several standard errors), fan-ins as PyTorch computes them, and seeding.
 */
class InitTest {

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }

    private static double var(double[] v) {
        double m = mean(v);
        return java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length;
    }

    private static double maxAbs(double[] v) {
        return java.util.Arrays.stream(v).map(Math::abs).max().orElseThrow();
    }

    /** Linear(400, 300): 120,000 weights; conv 16→32, 3×3: fan-in 144. */
    private static Model build(InitScheme scheme) {
        return Model.build(new Sequential(new Linear(400, 300), new Conv2d(16, 32, 3, 1, 1, true), new LayerNorm(7)),
                DType.F64, scheme, 2024);
    }

    @Test
    void pytorchDefaultIsUniformWithinOneOverSqrtFanIn() {
        try (Model m = build(InitScheme.PYTORCH)) {
            double[] w = m.parameter("0.weight").value().toDoubleArray();
            double bound = 1 / Math.sqrt(400);
            assertTrue(maxAbs(w) <= bound);
            assertTrue(maxAbs(w) > 0.99 * bound, "fills the range");
            assertEquals(0, mean(w), 4 * bound / Math.sqrt(3 * w.length));
            assertEquals(bound * bound / 3, var(w), 0.02 * bound * bound / 3);
            double[] b = m.parameter("0.bias").value().toDoubleArray();
            assertTrue(maxAbs(b) <= bound && maxAbs(b) > 0.9 * bound);
            double convBound = 1 / Math.sqrt(16 * 9);
            double[] cw = m.parameter("1.weight").value().toDoubleArray();
            assertTrue(maxAbs(cw) <= convBound && maxAbs(cw) > 0.99 * convBound);
            double[] cb = m.parameter("1.bias").value().toDoubleArray();
            assertTrue(maxAbs(cb) <= convBound);
            assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1}, m.parameter("2.weight").value().toDoubleArray());
            assertArrayEquals(new double[7], m.parameter("2.bias").value().toDoubleArray());
        }
    }

    @Test
    void heIsNormalWithVarianceTwoOverFanInAndZeroBias() {
        try (Model m = build(InitScheme.HE)) {
            double[] w = m.parameter("0.weight").value().toDoubleArray();
            double v = 2.0 / 400;
            assertEquals(0, mean(w), 4 * Math.sqrt(v / w.length));
            assertEquals(v, var(w), 0.02 * v);
            // Gaussian tails: about 0.27% beyond 3σ.
            double beyond = java.util.Arrays.stream(w).filter(x -> Math.abs(x) > 3 * Math.sqrt(v)).count() / (double) w.length;
            assertEquals(0.0027, beyond, 0.001);
            assertEquals(0, maxAbs(m.parameter("0.bias").value().toDoubleArray()));
            double[] cw = m.parameter("1.weight").value().toDoubleArray();
            assertEquals(2.0 / 144, var(cw), 0.1 * 2.0 / 144);
        }
    }

    @Test
    void gaussianHasStdOneOverSqrtFanIn() {
        try (Model m = build(InitScheme.GAUSSIAN)) {
            double[] w = m.parameter("0.weight").value().toDoubleArray();
            assertEquals(1.0 / 400, var(w), 0.02 / 400);
            assertEquals(0, maxAbs(m.parameter("1.bias").value().toDoubleArray()));
        }
    }

    @Test
    void zerosZeroEverythingButNormScales() {
        try (Model m = build(InitScheme.ZEROS)) {
            assertEquals(7, java.util.Arrays.stream(m.parameters().toDoubleArray()).sum());
        }
    }

    @Test
    void initializersAreSeededAndFillStridedViews() {
        try (Scope s = Scope.open()) {
            Tensor a = s.empty(DType.F32, 5, 6), b = s.empty(DType.F32, 5, 6);
            Init.heNormal(6).fill(a, new SplittableRandom(1));
            Init.heNormal(6).fill(b, new SplittableRandom(1));
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
            Tensor t = s.zeros(DType.F64, 4, 4).transpose(0, 1);
            Init.constant(3).fill(t, new SplittableRandom(1));
            assertEquals(48, java.util.Arrays.stream(t.toDoubleArray()).sum());
        }
    }

    @Test
    void kaimingUniformFollowsTheGainFormula() {
        try (Scope s = Scope.open()) {
            Tensor t = s.empty(DType.F64, 20000);
            Init.kaimingUniform(0, 50).fill(t, new SplittableRandom(3)); // gain √2: bound √(6/50)
            double bound = Math.sqrt(6.0 / 50);
            double max = maxAbs(t.toDoubleArray());
            assertTrue(max <= bound && max > 0.99 * bound);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Init.heNormal(0));
        assertTrue(e.getMessage().contains("heNormal") && e.getMessage().contains("fan_in"), e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> InitScheme.byName("xavier"));
        assertTrue(u.getMessage().contains("xavier"), u.getMessage());
        assertEquals(InitScheme.HE, InitScheme.byName("he"));
    }
}
