package optlab.optim.integrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import optlab.optim.GradientOracle;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.Optimizers;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Global error at T = 1 against the exact flow of a quadratic, over step halvings: the log-log slope is the order.
 * Steps h = 1/20 … 1/320 with curvatures up to 3 keep hλ ≤ 0.15, where the leading error term dominates (the next
 * term changes a measured slope by O(hλ)), while rk4's smallest error (~1e-9) stays far above F64 rounding (~1e-15).
 */
class OrderOfAccuracyTest {
    static final double T = 1;
    static final int[] STEPS = {20, 40, 80, 160, 320};
    static final double[] W0 = {1.5, 0.5, -1, 2};

    /** Global errors at T for each step count, with the given run. */
    interface Runner {
        double[] run(double h, int steps);
    }

    static double measuredSlope(String label, Flow.Quadratic q, Runner r) {
        double[] h = new double[STEPS.length], err = new double[STEPS.length];
        double[] exact = q.exact(W0, T);
        for (int k = 0; k < STEPS.length; k++) {
            h[k] = T / STEPS[k];
            err[k] = Flow.distance(r.run(h[k], STEPS[k]), exact);
        }
        double slope = Flow.slope(h, err);
        System.out.printf("%s: errors %s, slope %.3f%n", label, Arrays.toString(err), slope);
        return slope;
    }

    @ParameterizedTest(name = "{0} has order {1}")
    @CsvSource({"euler,1", "heun,2", "midpoint,2", "ralston,2", "rk4,4", "ab2,2",
        // Kutta's third-order method: a31 = −1 uses stage 1 from stage 3, so it runs the all-stages path.
        "'rk:a=[[0.5],[-1,2]],b=[0.16666666666666666,0.6666666666666666,0.16666666666666666]',3"})
    void slopeIsTheOrder(String spec, int order) {
        Flow.Quadratic q = new Flow.Quadratic();
        Optimizer opt = Optimizers.parse(spec + (spec.contains(":") ? "," : ":") + "lr=0.1");
        double slope = measuredSlope(spec, q, (h, n) -> Flow.run(opt, DType.F64, W0, q, h, n));
        assertEquals(order, slope, 0.2, spec);
    }

    /**
     * AB3 proper: started from exact past gradients f(w(−h)), f(w(−2h)) (the linear flow runs backwards too), which
     * is how a multistep method's order is defined. With its own Euler, AB2 start the first step's O(h²) local error
     * stays in the result, and the global error is O(h²): asserted too.
     */
    @Test
    void adamsBashforth3HasOrder3FromExactStartAndOrder2FromEuler() {
        Flow.Quadratic q = new Flow.Quadratic();
        AdamsBashforth ab3 = new AdamsBashforth(3, 0.1);
        double exactStart = measuredSlope("ab3 exact start", q, (h, n) -> {
            try (Scope scope = Scope.open()) {
                Tensor p = scope.of(DType.F64, W0, 4), g = scope.zeros(DType.F64, 4);
                GradientOracle oracle = Flow.oracle(q);
                try (OptimizerState s = ab3.init(p)) {
                    for (int back = 1; back <= 2; back++) {
                        double[] f = new double[4];
                        q.eval(q.exact(W0, -back * h), f);
                        Tensor buf = s.buffer(AdamsBashforth.PAST[back - 1]);
                        for (int i = 0; i < 4; i++) {
                            buf.setFlat(i, f[i]);
                        }
                        s.setScalar(AdamsBashforth.PAST_STEPS[back - 1], h);
                        s.advance();
                    }
                    for (int t = 0; t < n; t++) {
                        oracle.gradient(p, g);
                        ab3.step(s, p, g, h);
                    }
                }
                return p.toDoubleArray();
            }
        });
        assertEquals(3, exactStart, 0.2, "ab3 from exact starting values");
        double eulerStart = measuredSlope("ab3 Euler start", q, (h, n) -> Flow.run(ab3, DType.F64, W0, q, h, n));
        assertEquals(2, eulerStart, 0.3, "ab3 started by Euler and AB2");
    }

    /** Variable-step Adams–Bashforth weights: constant steps give the textbook ones; they integrate 1, s, s² exactly. */
    @Test
    void adamsBashforthWeights() {
        assertTrue(Arrays.equals(new double[] {1}, AdamsBashforth.weights(0.1, new double[0])));
        double[] ab2 = AdamsBashforth.weights(0.1, new double[] {0.1});
        assertEquals(1.5, ab2[0], 1e-15);
        assertEquals(-0.5, ab2[1], 1e-15);
        double[] ab3 = AdamsBashforth.weights(0.1, new double[] {0.1, 0.1});
        assertEquals(23.0 / 12, ab3[0], 1e-14);
        assertEquals(-16.0 / 12, ab3[1], 1e-14);
        assertEquals(5.0 / 12, ab3[2], 1e-14);
        // Unequal steps: Σ β_j p(τ_j) = (1/h)∫_0^h p for p = 1, s, s² (nodes 0, −0.07, −0.2).
        double h = 0.13;
        double[] b = AdamsBashforth.weights(h, new double[] {0.07, 0.13}), tau = {0, -0.07, -0.2};
        for (int deg = 0; deg <= 2; deg++) {
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += b[j] * Math.pow(tau[j], deg);
            }
            assertEquals(Math.pow(h, deg) / (deg + 1), sum, 1e-14, "degree " + deg);
        }
    }

    /** One rk23 run to exactly T (lr caps each step at the time left); returns {error, steps, accepted, rejected, evals}. */
    static double[] rk23ToT(Flow.Quadratic q, Rk23 rule) {
        try (Scope scope = Scope.open()) {
            Tensor p = scope.of(DType.F64, W0, 4), g = scope.zeros(DType.F64, 4);
            GradientOracle oracle = Flow.oracle(q);
            try (OptimizerState s = rule.init(p)) {
                double t = 0;
                int steps = 0;
                while (T - t > 1e-14) {
                    oracle.gradient(p, g);
                    rule.step(s, p, g, Math.min(rule.lr(), T - t), oracle);
                    t += Rk23.acceptedStepSize(s);
                    steps++;
                }
                assertEquals(T, t, 1e-13, "landed on T");
                return new double[] {Flow.distance(p.toDoubleArray(), q.exact(W0, T)), steps, Rk23.accepted(s),
                    Rk23.rejected(s), FlowIntegrator.gradientEvaluations(s)};
            }
        }
    }

    /**
     * rk23 meets its tolerance: with rtol = atol = tol (lr = T, so the step is the controller's) the global error at
     * T stays within 10·tol (each accepted step's local error is below tol·(1 + |w|) ≈ 3 tol in the scaled norm, and
     * the flow contracts what earlier steps left) and falls with it; each step costs 1 + 3 gradients per try.
     */
    @Test
    void rk23ErrorFollowsTheTolerance() {
        Flow.Quadratic q = new Flow.Quadratic();
        double[] tols = {1e-3, 1e-4, 1e-5, 1e-6, 1e-7}, errs = new double[tols.length];
        for (int i = 0; i < tols.length; i++) {
            double[] r = rk23ToT(q, new Rk23(1.0, tols[i], tols[i], 0));
            errs[i] = r[0];
            System.out.printf("rk23 tol %.0e: error %.3e, %d steps, %d accepted, %d rejected, %d gradients%n", tols[i],
                    r[0], (long) r[1], (long) r[2], (long) r[3], (long) r[4]);
            assertTrue(r[0] < 10 * tols[i], "error " + r[0] + " at tol " + tols[i]);
            assertEquals(r[1], r[2], "one accepted try per step");
            assertEquals(r[1] + 3 * (r[2] + r[3]), r[4], "gradient evaluations");
        }
        double slope = Flow.slope(tols, errs);
        System.out.printf("rk23 error against tol: slope %.3f%n", slope);
        assertTrue(slope > 0.6 && slope < 1.3, "error ∝ tol^" + slope);
    }

    /** A first step far too large is rejected and retried smaller on the same gradient field. */
    @Test
    void rk23RejectsAnOversizedFirstStep() {
        Flow.Quadratic q = new Flow.Quadratic();
        double[] big = rk23ToT(q, new Rk23(1.0, 1e-6, 1e-6, 0));
        System.out.printf("rk23 h0 = 1: %d steps, %d rejected%n", (long) big[1], (long) big[3]);
        assertTrue(big[3] >= 1, "rejections from h0 = 1 at tol 1e-6");
        assertTrue(big[0] < 1e-5, "and still within tolerance: " + big[0]);
        try (Scope scope = Scope.open()) {
            Tensor p = scope.of(DType.F64, W0, 4), g = scope.zeros(DType.F64, 4);
            Rk23 rule = new Rk23(1.0, 1e-6, 1e-6, 0);
            try (OptimizerState s = rule.init(p)) {
                Flow.oracle(q).gradient(p, g);
                rule.step(s, p, g, rule.lr(), Flow.oracle(q));
                assertTrue(Rk23.rejected(s) >= 1 && Rk23.acceptedStepSize(s) < 1, "h " + Rk23.acceptedStepSize(s));
                assertTrue(Rk23.stepSize(s) > 0, "an h carried to the next step");
            }
        }
    }
}
