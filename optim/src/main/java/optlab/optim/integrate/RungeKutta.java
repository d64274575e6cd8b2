package optlab.optim.integrate;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import optlab.optim.GradientOracle;
import optlab.optim.OptimizerState;
import optlab.optim.ParamSpace;
import optlab.optim.internal.FlowKernels;
import optlab.tensor.Tensor;

/**
 * An explicit Runge–Kutta step of the gradient flow dw/dt = −∇L(w) with step h = lr, by its {@link ButcherTableau}:
 * with f(w) = ∇L(w) + λw (λ from {@link SgdTerms}; 0 by default) and y_1 = w_t,
 * <pre>
 *   y_i = w_t − h Σ_{j&lt;i} a_ij f(y_j),    d = Σ_i b_i f(y_i),    w_{t+1} = w_t − h·d
 * </pre>
 * (k_i = −f(y_i) in the textbook's signs), then torch's momentum on d if asked. f(y_1) is the loop's gradient;
 * every later stage is one call of the {@link GradientOracle} on the same minibatch, so a step costs s gradients.
 * One stage (euler) is SGD, bit for bit: the same fused pass with the same coefficients.
 *
 * <p>Aliasing: an oracle bound to a model computes in the model's gradient block, which is {@code grads}, and
 * wants its argument to be the model's parameter block. So trial points are written into {@code params}
 * (w_t kept in the scratch "w0"). Tableaus whose stage i uses only stage i − 1 ({@link ButcherTableau#isChain()}:
 * heun, midpoint, ralston, rk4) keep w0 and the running end point (or, with momentum, the direction) d, have the
 * oracle write each stage's gradient straight into {@code grads} (no copy out of the model's block), and run one
 * fused pass per stage (without momentum a step streams 5s − 2 blocks besides its gradients, 7 for two stages;
 * measured against SGD in the README); others keep every stage.
 * So after a step {@code grads} holds the last stage's gradient, not the step's ({@link GradientOracle} allows
 * it). Scratch is allocated on the first step and reused.
 *
 * <p>On a device backend each fused pass becomes two or three of the backend's launches (copies, a product, and
 * {@code Backend.update} as fma), in the same IEEE operations per element: the CPU's bits, at more memory traffic.
 *
 * @param name    the spec name: euler, heun, midpoint, ralston, rk4, or rk for any tableau
 * @param tableau the method
 * @param lr      the step h (default 1e-3, as SGD's)
 * @param terms   momentum and weight decay on top
 */
public record RungeKutta(String name, ButcherTableau tableau, double lr, SgdTerms terms) implements FlowIntegrator {
    /** The spec names with a fixed tableau, and their tableaus. */
    public static final Map<String, ButcherTableau> NAMED = Map.of("euler", ButcherTableau.euler(), "heun",
            ButcherTableau.heun(), "midpoint", ButcherTableau.midpoint(), "ralston", ButcherTableau.ralston(), "rk4",
            ButcherTableau.rk4());

    public RungeKutta {
        Steps.nonNegative("learning rate", lr);
        java.util.Objects.requireNonNull(tableau, "tableau");
        java.util.Objects.requireNonNull(terms, "terms");
        ButcherTableau fixed = NAMED.get(name);
        if (fixed != null ? !fixed.equals(tableau) : !"rk".equals(name)) {
            throw new IllegalArgumentException("a Runge–Kutta rule is named rk or one of " + NAMED.keySet()
                    + " with its own tableau, got '" + name + "'");
        }
    }

    /** A named method (euler, heun, midpoint, ralston, rk4) with no momentum or weight decay. */
    public static RungeKutta named(String name, double lr) {
        ButcherTableau t = NAMED.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no Runge–Kutta method named '" + name + "'; named ones are "
                    + NAMED.keySet());
        }
        return new RungeKutta(name, t, lr, SgdTerms.NONE);
    }

    /** Any explicit tableau, spec name "rk". */
    public static RungeKutta of(ButcherTableau tableau, double lr) {
        return new RungeKutta("rk", tableau, lr, SgdTerms.NONE);
    }

    public RungeKutta withLr(double lr) {
        return new RungeKutta(name, tableau, lr, terms);
    }

    @Override
    public String spec() {
        List<Object> kv = new java.util.ArrayList<>(List.of("lr", lr));
        if ("rk".equals(name)) {
            kv.addAll(List.of("a", tableau.rowsSpec(), "b", ButcherTableau.listSpec(tableau.b())));
        }
        kv.addAll(List.of(terms.spec()));
        return Steps.spec(name, kv.toArray());
    }

    /** The L2 weight decay λ of {@link #terms()}: the rule integrates the flow of L + (λ/2)‖w‖². */
    @Override
    public double weightDecay() {
        return terms.weightDecay();
    }

    @Override
    public OptionalInt gradientsPerStep() {
        return OptionalInt.of(tableau.stages());
    }

    /** One stage needs no oracle; more stages evaluate the gradient at trial points. */
    @Override
    public boolean needsOracle() {
        return tableau.stages() > 1;
    }

    @Override
    public OptimizerState init(ParamSpace space) {
        return Steps.init(name + ".init", space.values(), terms.buffers(), Map.of());
    }

    @Override
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr) {
        step(state, params, grads, lr, null);
    }

    @Override
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr, GradientOracle oracle) {
        String op = name + ".step";
        Steps.check(op, state, params, grads, terms.buffers(), List.of());
        int s = tableau.stages();
        if (s > 1 && oracle == null) {
            throw Steps.needsOracle(name);
        }
        long t = state.advance();
        Steps.count(state, s);
        if (s == 1) {
            terms.apply(state, params, grads, lr, t, true);
            return;
        }
        Tensor d = state.scratch("direction");
        if (tableau.isChain()) {
            chainStages(state, params, grads, lr, t, oracle, d);
            return;
        }
        Tensor w0 = state.scratch("w0");
        FlowOps.copy(state, w0, params);
        allStages(state, params, grads, lr, oracle, w0, d);
        FlowOps.copy(state, params, w0);
        terms.apply(state, params, d, lr, t, false);
    }

    /**
     * Stage i uses stage i − 1 only, so one fused pass per stage ({@link FlowKernels#stage}) takes f(y_i) into d and
     * writes y_{i+1} into params; ∇L(y_i) is in {@code grads}: the loop's gradient for i = 0, then the oracle's,
     * written over it once the pass that read it is done. Without momentum d is the running end point
     * e_i = w_t − h·Σ_{j≤i} b_j·f(y_j) (the first pass writes e_0 beside y_1, the last writes w_{t+1} = e_{s−1}
     * from e_{s−2}), so no pass re-reads w_t and a sum at the end; w_t is kept in the scratch "w0" for the trial
     * points of three or more stages only (two-stage rules need it for y_1 alone, in the first pass). The end
     * point is rounded once per stage at |w| instead of once per step. With momentum d is the direction
     * Σ_i b_i·f(y_i) that momentum takes; the last pass restores w_t. With weight decay, f(y_i) = ∇L(y_i) + λ·y_i
     * is formed in the scratch "stage".
     */
    private void chainStages(OptimizerState state, Tensor params, Tensor grads, double h, long t, GradientOracle oracle,
            Tensor d) {
        double lambda = terms.weightDecay();
        Tensor stage = lambda != 0 ? state.scratch("stage") : null;
        int s = tableau.stages();
        boolean end = terms.momentum() == 0;
        Tensor w0 = end && s == 2 ? d : state.scratch("w0"); // not read by PAIR_FIRST
        for (int i = 0; i < s; i++) {
            Tensor cur = decayed(state, stage, lambda, grads, params); // f(y_i)
            double b = end ? -h * tableau.b(i) : tableau.b(i);
            if (i + 1 < s) {
                FlowKernels.StageMode mode = i > 0 ? FlowKernels.StageMode.NEXT
                        : !end ? FlowKernels.StageMode.FIRST
                        : s == 2 ? FlowKernels.StageMode.PAIR_FIRST : FlowKernels.StageMode.FIRST_END;
                FlowOps.stage(state, mode, params, w0, d, cur, b, -h * tableau.a(i + 1, i));
                oracle.gradient(params, grads);
            } else if (end) {
                FlowOps.stage(state, FlowKernels.StageMode.LAST_END, params, w0, d, cur, b, 0);
            } else {
                FlowOps.stage(state, FlowKernels.StageMode.LAST_DIRECTION, params, w0, d, cur, b, 0);
                terms.apply(state, params, d, h, t, false);
            }
        }
    }

    /** ∇L(y) + λ·y into {@code stage} at the trial point y = params, or the gradient itself when λ = 0. */
    private static Tensor decayed(OptimizerState state, Tensor stage, double lambda, Tensor grads, Tensor params) {
        if (lambda == 0) {
            return grads;
        }
        FlowOps.combine(state, stage, new double[] {1, lambda}, grads, params);
        return stage;
    }

    /** Any tableau: f(y_i) for every stage in scratch "stage0" … "stage{s−1}". */
    private void allStages(OptimizerState state, Tensor params, Tensor grads, double h, GradientOracle oracle,
            Tensor w0, Tensor d) {
        double lambda = terms.weightDecay();
        int s = tableau.stages();
        Tensor[] f = new Tensor[s];
        for (int i = 0; i < s; i++) {
            f[i] = state.scratch("stage" + i);
        }
        combine(state, f[0], lambda, new double[] {1}, grads, params);
        for (int i = 1; i < s; i++) {
            // y_i = w_t − h Σ_{j<i} a_ij f(y_j)
            Tensor[] v = new Tensor[i + 1];
            double[] c = new double[i + 1];
            v[0] = w0;
            c[0] = 1;
            for (int j = 0; j < i; j++) {
                v[j + 1] = f[j];
                c[j + 1] = -h * tableau.a(i, j);
            }
            FlowOps.combine(state, params, c, v);
            oracle.gradient(params, f[i]);
            if (lambda != 0) {
                FlowOps.combine(state, f[i], new double[] {1, lambda}, f[i], params);
            }
        }
        FlowOps.combine(state, d, tableau.b(), f);
    }

    /**
     * out = Σ_j c_j v_j + c_last·λ·y for vectors v…, y: the last gradient's weight also takes its trial point's
     * weight decay λ·y (y = params, the point the gradient was taken at); y is not read when λ = 0.
     */
    private static void combine(OptimizerState state, Tensor out, double lambda, double[] c, Tensor... v) {
        Tensor y = v[v.length - 1];
        if (lambda == 0) {
            FlowOps.combine(state, out, c, java.util.Arrays.copyOf(v, v.length - 1));
            return;
        }
        double[] cc = java.util.Arrays.copyOf(c, c.length + 1);
        cc[c.length] = c[c.length - 1] * lambda;
        FlowOps.combine(state, out, cc, v);
    }
}
