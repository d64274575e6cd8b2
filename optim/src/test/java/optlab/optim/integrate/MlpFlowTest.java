package optlab.optim.integrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.optim.Optimizers;
import optlab.optim.TinyNet;
import optlab.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * The rules on a non-quadratic loss: a two-layer tanh net on a fixed full batch (F64), whose gradient flow is
 * solved by a fine-step rk4 for reference.
 */
class MlpFlowTest {

    /** The shared tiny tanh net, six hidden units, as a field in doubles. */
    record Mlp(TinyNet net) implements Flow.Field {
        Mlp(int batch, long seed) {
            this(new TinyNet(batch, seed, 6));
        }

        /** Uniform weights scaled by 1/√fan-in. */
        double[] init(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            int first = net.h * net.d;
            double[] w = new double[net.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (rng.nextDouble() * 2 - 1) / Math.sqrt(i < first ? net.d : net.h);
            }
            return w;
        }

        @Override
        public void eval(double[] w, double[] out) {
            net.gradient(w, out);
        }
    }

    /** Euler, Heun and rk4 at equal h: the distance to the flow at T falls with the order. */
    @Test
    void distanceToTheFlowFallsWithTheOrder() {
        Mlp net = new Mlp(16, 3);
        double[] w0 = net.init(4);
        double time = 2, h = 0.1;
        int n = (int) Math.round(time / h);
        double[] flow = Flow.rk4(net, w0, time, 4000);
        double euler = Flow.distance(Flow.run(Optimizers.parse("euler"), DType.F64, w0, net, h, n), flow);
        double heun = Flow.distance(Flow.run(Optimizers.parse("heun"), DType.F64, w0, net, h, n), flow);
        double rk4 = Flow.distance(Flow.run(Optimizers.parse("rk4"), DType.F64, w0, net, h, n), flow);
        double moved = Flow.distance(w0, flow);
        System.out.printf("MLP flow at T=%.1f (moved %.3e): h=%.2f euler %.3e, heun %.3e, rk4 %.3e%n", time, moved, h,
                euler, heun, rk4);
        assertTrue(euler > 5 * heun && heun > 5 * rk4, "euler " + euler + " > heun " + heun + " > rk4 " + rk4);
        assertTrue(euler < 0.1 * moved, "h is small enough that Euler tracks the flow: " + euler + " of " + moved);
    }

    /**
     * Backward error analysis (Barrett and Dherin 2021, Implicit Gradient Regularization): Euler with step h follows
     * the flow of L̃ = L + (h/4)‖∇L‖² to O(h²), against O(h) for the flow of L. ∇L̃ = ∇L + (h/2) H∇L, with H∇L by a
     * central difference of the gradient (step ε = 1e-5/‖∇L‖ in F64: truncation ~1e-10, rounding ~1e-11, both far
     * below the O(h²) being measured). At T = 1 with h = 1/10, 1/20, 1/40: Euler is closer to L̃'s flow, the distance
     * to L's flow falls like h and to L̃'s like h², so their ratio doubles with each halving.
     */
    @Test
    void eulerFollowsTheModifiedFlowOfImplicitGradientRegularization() {
        Mlp net = new Mlp(16, 3);
        double[] w0 = net.init(4);
        double time = 1;
        int[] steps = {10, 20, 40};
        double[] hs = new double[steps.length], toL = new double[steps.length], toModified = new double[steps.length];
        double[] flowL = Flow.rk4(net, w0, time, 4000);
        for (int k = 0; k < steps.length; k++) {
            double h = time / steps[k];
            hs[k] = h;
            double[] euler = Flow.run(Optimizers.parse("euler"), DType.F64, w0, net, h, steps[k]);
            toL[k] = Flow.distance(euler, flowL);
            toModified[k] = Flow.distance(euler, Flow.rk4(modified(net, h), w0, time, 4000));
            System.out.printf("IGR h=%.4f: |euler − flow(L)| %.3e, |euler − flow(L̃)| %.3e, ratio %.2f%n", h, toL[k],
                    toModified[k], toL[k] / toModified[k]);
            assertTrue(toModified[k] < toL[k], "closer to the modified flow at h = " + h);
        }
        for (int k = 1; k < steps.length; k++) {
            double growth = (toL[k] / toModified[k]) / (toL[k - 1] / toModified[k - 1]);
            assertEquals(2, growth, 0.4, "the ratio doubles as h halves");
        }
        assertEquals(1, Flow.slope(hs, toL), 0.2, "O(h) from the flow of L");
        assertEquals(2, Flow.slope(hs, toModified), 0.3, "O(h²) from the flow of L̃");
    }

    /** ∇L̃(w) = ∇L(w) + (h/2) H(w)∇L(w), H∇L by a central difference of ∇L along ∇L. */
    static Flow.Field modified(Flow.Field grad, double h) {
        return (w, out) -> {
            int n = w.length;
            double[] g = new double[n], gp = new double[n], gm = new double[n], y = new double[n];
            grad.eval(w, g);
            double norm = 0;
            for (double x : g) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            double eps = norm == 0 ? 0 : 1e-5 / norm;
            for (int i = 0; i < n; i++) {
                y[i] = w[i] + eps * g[i];
            }
            grad.eval(y, gp);
            for (int i = 0; i < n; i++) {
                y[i] = w[i] - eps * g[i];
            }
            grad.eval(y, gm);
            for (int i = 0; i < n; i++) {
                double hg = eps == 0 ? 0 : (gp[i] - gm[i]) / (2 * eps);
                out[i] = g[i] + h / 2 * hg;
            }
        };
    }
}
