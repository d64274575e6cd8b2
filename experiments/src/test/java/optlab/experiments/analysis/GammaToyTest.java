package optlab.experiments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GammaToyTest {

    @Test
    void outputIsCentredAndGradientMatchesFiniteDifferences() {
        for (int depth : new int[] {1, 2, 3, 5}) {
            GammaToy toy = new GammaToy(depth, 0.37, 1.3);
            assertEquals(0, toy.output(toy.init()), "f = 0 at initialization");
            double[] w = new double[depth];
            for (int l = 0; l < depth; l++) {
                w[l] = 0.8 + 0.15 * l - (l == 2 ? 0.8 + 0.3 : 0); // w[2] = 0: products without division
            }
            double[] g = new double[depth];
            double e = toy.gradient(w, g);
            assertEquals(toy.output(w) - 1.3, e, 1e-15);
            for (int l = 0; l < depth; l++) {
                double h = 1e-6;
                double[] p = w.clone();
                double[] m = w.clone();
                p[l] += h;
                m[l] -= h;
                double fd = (toy.loss(p) - toy.loss(m)) / (2 * h);
                assertEquals(fd, g[l], 1e-7 * Math.max(1, Math.abs(fd)), "depth " + depth + " weight " + l);
            }
        }
    }

    @Test
    void deviationFormMatchesThePlainProductAndStaysAccurateAtTinyGamma() {
        GammaToy toy = new GammaToy(3, 0.7, 1);
        double[] d = {0.1, -0.2, -1.5}; // one weight negative: the plain product path
        for (double[] dev : new double[][] {d, {0.1, -0.2, 0.3}}) {
            double[] w = new double[3];
            for (int l = 0; l < 3; l++) {
                w[l] = 1 + dev[l];
            }
            double[] g1 = new double[3];
            double[] g2 = new double[3];
            assertEquals(toy.gradient(w, g1), toy.gradientAtDeviation(dev, g2), 1e-14);
            for (int l = 0; l < 3; l++) {
                assertEquals(g1[l], g2[l], 1e-14);
            }
        }
        // γ = 1e-7, d_ℓ = γ/3: f − y = ((1 + γ/3)³ − 1)/γ − 1 = γ/3 + γ²/27 exactly. The product of w = 1 + γ/3 is off
        // by ulp(1)/γ ≈ 1e-9 here; from the deviations only the final "− y" rounds (ulp(1) = 2.2e-16).
        double gamma = 1e-7;
        GammaToy tiny = GammaToy.of(3, gamma);
        double[] g = new double[3];
        double exact = gamma / 3 + gamma * gamma / 27;
        assertEquals(exact, tiny.gradientAtDeviation(new double[] {gamma / 3, gamma / 3, gamma / 3}, g), 4.5e-16);
    }

    @Test
    void closedFormHasBothAsymptotes() {
        for (int depth : new int[] {2, 3, 4}) {
            double small = 1e-6;
            assertEquals(2 * small * small / depth, GammaToy.of(depth, small).closedFormEtaMax(), 1e-5 * 2 * small * small / depth);
            double large = 1e12;
            double rich = 2 * Math.pow(large, 2.0 / depth) / depth;
            assertEquals(rich, GammaToy.of(depth, large).closedFormEtaMax(), 1e-10 * rich * depth);
            // At the minimum the sharpness is L z^(2-2/L)/γ²; closed form = 2/λ*.
            GammaToy t = GammaToy.of(depth, 3);
            assertEquals(2 / t.minimumSharpness(), t.closedFormEtaMax(), 1e-15);
        }
    }

    /** Just below the closed form GD converges; just above it cannot (the minimum is unstable); far above it blows up. */
    @Test
    void outcomesAroundTheClosedForm() {
        for (int depth : new int[] {2, 3, 4}) {
            for (double gamma : new double[] {1e-3, 1, 1e3}) {
                GammaToy toy = GammaToy.of(depth, gamma);
                double c = toy.closedFormEtaMax();
                String at = "depth " + depth + ", gamma " + gamma;
                assertEquals(GammaToy.Outcome.CONVERGED, toy.train(0.99 * c, 100_000, 1e-9), at);
                assertEquals(GammaToy.Outcome.BOUNDED, toy.train(1.01 * c, 100_000, 1e-9), at);
                assertEquals(GammaToy.Outcome.BLEW_UP, toy.train(50 * c, 100_000, 1e-9), at);
            }
        }
    }

    @Test
    void weightsStayBalancedSoTheDynamicsIsOneDimensional() {
        GammaToy toy = GammaToy.of(4, 10);
        double[] w = toy.init();
        double[] g = new double[4];
        for (int t = 0; t < 200; t++) {
            toy.gradient(w, g);
            for (int l = 0; l < 4; l++) {
                w[l] -= 0.5 * toy.closedFormEtaMax() * g[l];
            }
        }
        for (int l = 1; l < 4; l++) {
            assertEquals(w[0], w[l], 1e-14, "identical updates (up to rounding) keep the weights equal");
        }
        assertEquals(Math.pow(11, 0.25), w[0], 1e-9, "converged to the balanced minimum (1 + γ)^(1/L)");
    }

    /** λ_max by power iteration on finite-difference HVPs at the minimum is the closed form's 2/η_max. */
    @Test
    void hessianTopAtTheMinimumIsTwoOverEtaMax() {
        for (int depth : new int[] {2, 3, 4}) {
            for (double gamma : new double[] {1e-2, 1, 100}) {
                GammaToy toy = GammaToy.of(depth, gamma);
                try (optlab.tensor.Scope s = optlab.tensor.Scope.open()) {
                    optlab.tensor.Tensor w = s.full(optlab.tensor.DType.F64, Math.pow(1 + gamma, 1.0 / depth), depth);
                    optlab.optim.GradientOracle oracle = (p, out) -> {
                        double[] g = new double[depth];
                        toy.gradient(p.toDoubleArray(), g);
                        for (int l = 0; l < depth; l++) {
                            out.setFlat(l, g[l]);
                        }
                    };
                    var r = optlab.optim.geometry.HessianTop.powerIteration(oracle, w, 100, 1e-12, 1);
                    assertEquals(2 / toy.closedFormEtaMax(), r.eigenvalue(), 1e-6 * r.eigenvalue(), "depth " + depth + ", γ " + gamma);
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GammaToy.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> GammaToy.of(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new GammaToy(2, 1, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GammaToy.of(2, 1).gradient(new double[3], new double[3]));
        assertTrue(e.getMessage().contains("expected 2 weights"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GammaToy.of(2, 1).train(Double.NaN, 10, 1e-9));
    }
}
