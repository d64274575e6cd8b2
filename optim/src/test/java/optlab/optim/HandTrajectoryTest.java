package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Three steps of each rule on one parameter, p₀ = 1, with fixed gradients, worked out by hand in the
 * comments (numbers chosen so the arithmetic stays exact or nearly so: ε = 0 where allowed).
 */
class HandTrajectoryTest {

    /** Runs opt from p₀ = 1 on the given gradients and checks the parameter after each step. */
    static void check(Optimizer opt, double[] grads, double... expected) {
        try (Scope scope = Scope.open()) {
            Tensor p = OptimConfigs.of(scope, DType.F64, 1.0), g = scope.zeros(DType.F64, 1);
            try (OptimizerState s = opt.init(p)) {
                for (int t = 0; t < grads.length; t++) {
                    g.setFlat(0, grads[t]);
                    opt.step(s, p, g);
                    assertEquals(expected[t], p.getFlat(0), 1e-15, opt.spec() + " step " + (t + 1));
                }
            }
        }
    }

    @Test
    void sgdWithMomentum() {
        // lr 0.1, μ 0.9. b₁ = g₁ = 1 → p = 1 − 0.1 = 0.9
        // b₂ = 0.9·1 − 2 = −1.1 → p = 0.9 + 0.11 = 1.01
        // b₃ = 0.9·(−1.1) + 0.5 = −0.49 → p = 1.01 + 0.049 = 1.059
        check(new SGD(0.1, 0.9), new double[] {1, -2, 0.5}, 0.9, 1.01, 1.059);
    }

    @Test
    void sgdNesterov() {
        // b₁ = 1, d = 1 + 0.9·1 = 1.9 → p = 1 − 0.19 = 0.81
        // b₂ = −1.1, d = −2 − 0.99 = −2.99 → p = 0.81 + 0.299 = 1.109
        // b₃ = −0.49, d = 0.5 − 0.441 = 0.059 → p = 1.109 − 0.0059 = 1.1031
        check(new SGD(0.1, 0.9, 0, 0, true, false), new double[] {1, -2, 0.5}, 0.81, 1.109, 1.1031);
    }

    @Test
    void sgdDampeningAndWeightDecay() {
        // λ 0.1, dampening 0.5, μ 0.9, lr 0.1.
        // d₁ = 1 + 0.1·1 = 1.1, b₁ = 1.1 (first step: no dampening) → p = 1 − 0.11 = 0.89
        // d₂ = −2 + 0.089 = −1.911, b₂ = 0.99 − 0.9555 = 0.0345 → p = 0.89 − 0.00345 = 0.88655
        // d₃ = 0.5 + 0.088655 = 0.588655, b₃ = 0.03105 + 0.2943275 = 0.3253775 → p = 0.85401225
        check(new SGD(0.1, 0.9, 0.5, 0.1, false, false), new double[] {1, -2, 0.5}, 0.89, 0.88655, 0.85401225);
    }

    @Test
    void sgdMaximize() {
        // Ascent: p = 1 + 0.1·1 = 1.1, then 1.1 − 0.2 = 0.9, then 0.9 + 0.05 = 0.95.
        check(new SGD(0.1, 0, 0, 0, false, true), new double[] {1, -2, 0.5}, 1.1, 0.9, 0.95);
    }

    @Test
    void adagradWithLrDecay() {
        // lr 0.1, lr_decay 0.5, s₀ = 0, ε = 0.
        // t=1: s = 9, clr = 0.1 → p = 1 − 0.1·3/3 = 0.9
        // t=2: s = 25, clr = 0.1/1.5 → p = 0.9 − (0.1/1.5)·4/5 = 0.9 − 0.0533… = 0.846666…
        // t=3: s = 169, clr = 0.1/2 = 0.05 → p = 0.846666… − 0.05·12/13
        double p2 = 0.9 - 0.1 / 1.5 * 4 / 5;
        check(new Adagrad(0.1, 0.5, 0, 0, 0, false), new double[] {3, 4, 12}, 0.9, p2, p2 - 0.05 * 12 / 13);
    }

    @Test
    void adagradInitialAccumulator() {
        // s₀ = 7: t=1 s = 16 → p = 1 − 0.1·3/4 = 0.925; t=2 s = 32 → p −= 0.1·4/√32; t=3 s = 33 → p −= 0.1·1/√33.
        double p2 = 0.925 - 0.4 / Math.sqrt(32);
        check(new Adagrad(0.1, 0, 0, 7, 0, false), new double[] {3, 4, 1}, 0.925, p2, p2 - 0.1 / Math.sqrt(33));
    }

    @Test
    void rmsprop() {
        // α 0.5, ε 0, lr 0.1. t=1: s = 0.5·4 = 2 → p = 1 − 0.1·2/√2
        // t=2: s = 1 + 2 = 3 → p −= 0.2/√3; t=3 (g = −2): s = 1.5 + 2 = 3.5 → p += 0.2/√3.5
        double p1 = 1 - 0.2 / Math.sqrt(2), p2 = p1 - 0.2 / Math.sqrt(3);
        check(new RMSprop(0.1, 0.5, 0, 0, 0, false, false), new double[] {2, 2, -2}, p1, p2, p2 + 0.2 / Math.sqrt(3.5));
    }

    @Test
    void rmspropCenteredWithMomentum() {
        // α 0.5, ε 0, μ 0.9, lr 0.1, centered.
        // t=1: s = 2, a = 1, avg = √(2 − 1) = 1, b = 2 → p = 0.8
        // t=2: s = 3, a = 1.5, avg = √0.75, b = 1.8 + 2/√0.75 → p = 0.8 − 0.1·b₂
        // t=3 (g = −2): s = 3.5, a = −0.25, avg = √3.4375, b = 0.9·b₂ − 2/√3.4375 → p −= 0.1·b₃
        double b2 = 1.8 + 2 / Math.sqrt(0.75), b3 = 0.9 * b2 - 2 / Math.sqrt(3.4375);
        check(new RMSprop(0.1, 0.5, 0, 0, 0.9, true, false), new double[] {2, 2, -2}, 0.8, 0.8 - 0.1 * b2,
                0.8 - 0.1 * b2 - 0.1 * b3);
    }

    @Test
    void adam() {
        // β = (0.5, 0.75), ε 0, lr 0.1.
        // t=1: m = 0.5, v = 0.25, m̂ = 0.5/0.5 = 1, v̂ = 0.25/0.25 = 1 → p = 0.9
        // t=2 (g = −1): m = −0.25, v = 0.4375; bc₁ = 0.75, bc₂ = 0.4375 → m̂ = −1/3, v̂ = 1 → p = 0.9 + 0.1/3
        // t=3 (g = 2): m = 0.875, v = 0.328125 + 1 = 1.328125; bc₁ = 0.875, bc₂ = 0.578125
        //   → m̂ = 1, v̂ = 1.328125/0.578125 → p −= 0.1/√v̂
        double p2 = 0.9 + 0.1 / 3;
        check(new Adam(0.1, 0.5, 0.75, 0, 0, false, false), new double[] {1, -1, 2}, 0.9, p2,
                p2 - 0.1 / Math.sqrt(1.328125 / 0.578125));
    }

    @Test
    void adamAmsgrad() {
        // β = (0.5, 0.75), ε 0, lr 0.1, AMSGrad; g = 2, 0, 0.
        // t=1: m = 1, v = 1, w = 1; m̂ = 2, ŵ = 4 → u = 1, p = 0.9
        // t=2: m = 0.5, v = 0.75, w = max(1, 0.75) = 1 → u = (0.5/0.75)/(1/√0.4375), p −= 0.1·u
        // t=3: m = 0.25, v = 0.5625, w = 1 → u = (0.25/0.875)/(1/√0.578125)
        double p2 = 0.9 - 0.1 * (0.5 / 0.75) * Math.sqrt(0.4375);
        check(new Adam(0.1, 0.5, 0.75, 0, 0, true, false), new double[] {2, 0, 0}, 0.9, p2,
                p2 - 0.1 * (0.25 / 0.875) * Math.sqrt(0.578125));
    }

    @Test
    void adamWithL2() {
        // λ 0.5 folded into the gradient: d₁ = 1 + 0.5 = 1.5 → m̂ = 1.5, v̂ = 2.25, u = 1 → p = 0.9
        // d₂ = −1 + 0.45 = −0.55: m = 0.375 − 0.275 = 0.1, v = 0.5625·0.75 + 0.25·0.3025 = 0.49750
        //   m̂ = 0.1/0.75, v̂ = 0.4975/0.4375 → p = 0.9 − 0.1·m̂/√v̂
        double p2 = 0.9 - 0.1 * (0.1 / 0.75) / Math.sqrt(0.4975 / 0.4375);
        check(new Adam(0.1, 0.5, 0.75, 0, 0.5, false, false), new double[] {1, -1}, 0.9, p2);
    }

    @Test
    void adamWDecoupledDecay() {
        // λ 0.5, lr 0.1: p ← p·(1 − 0.05) − 0.1·u_Adam, with u_Adam as in adam(): 1, −1/3, 1/√(1.328125/0.578125).
        double p1 = 0.95 - 0.1, p2 = p1 * 0.95 + 0.1 / 3;
        check(new AdamW(0.1, 0.5, 0.75, 0, 0.5, false, false), new double[] {1, -1, 2}, p1, p2,
                p2 * 0.95 - 0.1 / Math.sqrt(1.328125 / 0.578125));
    }

    @Test
    void rmspropKurbiel() {
        // lr 0.1, ρ 0.7, μ 0.9, ε 0 (the authors' UpdateWeights.m).
        // t=1: m = g = 2, r = |g| = 2 → a plain gradient step: p = 1 − 0.2 = 0.8
        // t=2 (g = 2): r = √(0.7·4 + 0.3·4) = 2, m = 0.9·2 + 0.1·(2/2) = 1.9 → p = 0.8 − 0.19 = 0.61
        // t=3 (g = −4): r = √(0.7·4 + 0.3·16) = √7.6, m = 0.9·1.9 + 0.1·(−4/√7.6) = 1.71 − 0.4/√7.6
        //   → p = 0.61 − 0.1·m = 0.439 + 0.04/√7.6
        check(new RmsPropKurbiel(0.1, 0.7, 0.9, 0, 0), new double[] {2, 2, -4}, 0.8, 0.61, 0.439 + 0.04 / Math.sqrt(7.6));
    }

    @Test
    void rmspropKurbielWithL2AndEps() {
        // lr 0.1, ρ 0.5, μ 0.5, ε 1, λ 0.5.
        // t=1 (g = 1.5): d = 1.5 + 0.5 = 2, m = 2, r = 2 → p = 1 − 0.2 = 0.8
        // t=2 (g = 3.6): d = 3.6 + 0.4 = 4, r = √(0.5·4 + 0.5·16) = √10, m = 1 + 0.5·4/(√10 + 1)
        //   → p = 0.8 − 0.1 − 0.2/(√10 + 1) = 0.7 − 0.2/(√10 + 1)
        double p2 = 0.7 - 0.2 / (Math.sqrt(10) + 1), m2 = 1 + 2 / (Math.sqrt(10) + 1);
        // t=3 (g = −p₂/2): d = 0, r = √5, m = 0.5·m₂ → p = p₂ − 0.05·m₂
        check(new RmsPropKurbiel(0.1, 0.5, 0.5, 1, 0.5), new double[] {1.5, 3.6, -p2 / 2}, 0.8, p2, p2 - 0.05 * m2);
    }
}
