package optlab.optim.integrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import optlab.optim.OptimizerState;
import optlab.optim.ParamSpace;
import optlab.optim.transform.StateBuffer;
import optlab.tensor.Tensor;

/**
 * The explicit Adams–Bashforth method of order k ∈ {2, 3} on the gradient flow: with f_n = ∇L(w_n) + λw_n (the loop's
 * gradient, λ from {@link SgdTerms}) and the past f_{n−1}, f_{n−2} kept in saved buffers,
 * <pre>
 *   ab2:  w_{n+1} = w_n − h (3/2 f_n − 1/2 f_{n−1})
 *   ab3:  w_{n+1} = w_n − h (23/12 f_n − 16/12 f_{n−1} + 5/12 f_{n−2})
 * </pre>
 * for a constant step h = lr. One gradient per step, no oracle. The first step is Euler (bit for bit SGD's pass),
 * ab3's second is AB2. When the lr changes between steps (a schedule), the weights are those of the variable-step
 * method, β_j = (1/h)∫_0^h ℓ_j(t_n + s) ds over the Lagrange basis ℓ_j of the past step times
 * ({@link #weights}), so a schedule does not cost the order; the past steps are saved scalars. A past step of 0
 * (lr = 0) gives no information on the slope, so the order drops to what the steps since allow.
 *
 * <p>Unlike a one-step rule the past gradients belong to past minibatches: with SGD noise this is an average of
 * gradients with weights that do not sum to a convex combination (ab2's −1/2), not a better estimate of the flow.
 *
 * @param order 2 or 3
 * @param lr    the step h (default 1e-3, as SGD's)
 * @param terms momentum and weight decay on top
 */
public record AdamsBashforth(int order, double lr, SgdTerms terms) implements FlowIntegrator {
    static final String[] PAST = {"grad_prev1", "grad_prev2"};
    static final String[] PAST_STEPS = {"h_prev1", "h_prev2"};

    public AdamsBashforth {
        if (order != 2 && order != 3) {
            throw new IllegalArgumentException("Adams–Bashforth is implemented for order 2 or 3, got " + order);
        }
        Steps.nonNegative("learning rate", lr);
        java.util.Objects.requireNonNull(terms, "terms");
    }

    public AdamsBashforth(int order, double lr) {
        this(order, lr, SgdTerms.NONE);
    }

    public AdamsBashforth withLr(double lr) {
        return new AdamsBashforth(order, lr, terms);
    }

    @Override
    public String name() {
        return "ab" + order;
    }

    @Override
    public String spec() {
        List<Object> kv = new ArrayList<>(List.of("lr", lr));
        kv.addAll(List.of(terms.spec()));
        return Steps.spec(name(), kv.toArray());
    }

    /** The L2 weight decay λ of {@link #terms()}: the rule integrates the flow of L + (λ/2)‖w‖². */
    @Override
    public double weightDecay() {
        return terms.weightDecay();
    }

    @Override
    public OptionalInt gradientsPerStep() {
        return OptionalInt.of(1);
    }

    /** Saved: torch's momentum buffer if any, then f_{n−1} (and f_{n−2} for ab3). */
    List<StateBuffer> buffers() {
        List<StateBuffer> b = new ArrayList<>(terms.buffers());
        for (int j = 0; j < order - 1; j++) {
            b.add(new StateBuffer(PAST[j], 0));
        }
        return b;
    }

    private List<String> scalars() {
        return List.of(PAST_STEPS).subList(0, order - 1);
    }

    @Override
    public OptimizerState init(ParamSpace space) {
        Map<String, Double> s = new LinkedHashMap<>();
        for (String name : scalars()) {
            s.put(name, 0.0);
        }
        return Steps.init(name() + ".init", space.values(), buffers(), s);
    }

    @Override
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr) {
        String op = name() + ".step";
        Steps.check(op, state, params, grads, buffers(), scalars());
        long t = state.advance();
        Steps.count(state, 1);
        // Past steps usable: as many as were taken (t − 1) and have a nonzero step, up to order − 1.
        double[] past = new double[order - 1];
        int known = 0;
        while (known < order - 1 && known < t - 1) {
            past[known] = state.scalar(PAST_STEPS[known]);
            if (past[known] == 0) {
                break;
            }
            known++;
        }
        double lambda = terms.weightDecay();
        Tensor[] prev = new Tensor[order - 1];
        for (int j = 0; j < prev.length; j++) {
            prev[j] = state.buffer(PAST[j]);
        }
        Tensor d = state.scratch("direction"); // made on the first step too, so the scratch layout never changes
        if (known > 0) {
            // d = β_0 (g + λw) + Σ_j β_j f_{n−j}
            double[] beta = weights(lr, java.util.Arrays.copyOf(past, known));
            List<Tensor> v = new ArrayList<>(List.of(grads));
            List<Double> c = new ArrayList<>(List.of(beta[0]));
            if (lambda != 0) {
                v.add(params);
                c.add(beta[0] * lambda);
            }
            for (int j = 1; j < beta.length; j++) {
                v.add(prev[j - 1]);
                c.add(beta[j]);
            }
            FlowOps.combine(state, d, c.stream().mapToDouble(Double::doubleValue).toArray(), v.toArray(Tensor[]::new));
        }
        // Shift the history: f_{n−2} ← f_{n−1}, f_{n−1} ← f_n, and the same for the steps.
        for (int j = prev.length - 1; j > 0; j--) {
            FlowOps.copy(state, prev[j], prev[j - 1]);
            state.setScalar(PAST_STEPS[j], state.scalar(PAST_STEPS[j - 1]));
        }
        if (lambda == 0) {
            FlowOps.copy(state, prev[0], grads);
        } else {
            FlowOps.combine(state, prev[0], new double[] {1, lambda}, grads, params);
        }
        state.setScalar(PAST_STEPS[0], lr);
        if (known == 0) {
            terms.apply(state, params, grads, lr, t, true); // Euler: torch's SGD pass
        } else {
            terms.apply(state, params, d, lr, t, false);
        }
    }

    /**
     * The weights β_0 … β_k of the step h from t_n given the k past steps {@code past} (h_{n−1}, h_{n−2}), nodes
     * τ_0 = 0, τ_1 = −h_{n−1}, τ_2 = −h_{n−1} − h_{n−2}: β_j = (1/h)∫_0^h Π_{m≠j} (s − τ_m)/(τ_j − τ_m) ds. Constant
     * steps give (1), (3/2, −1/2), (23/12, −16/12, 5/12).
     */
    public static double[] weights(double h, double[] past) {
        int k = past.length;
        double[] tau = new double[k + 1];
        for (int j = 1; j <= k; j++) {
            tau[j] = tau[j - 1] - past[j - 1];
        }
        double[] beta = new double[k + 1];
        for (int j = 0; j <= k; j++) {
            double denominator = 1, integral;
            double[] others = new double[k];
            int o = 0;
            for (int m = 0; m <= k; m++) {
                if (m != j) {
                    denominator *= tau[j] - tau[m];
                    others[o++] = tau[m];
                }
            }
            // (1/h)∫_0^h of 1, (s − p), (s − p)(s − q)
            integral = switch (k) {
                case 0 -> 1;
                case 1 -> h / 2 - others[0];
                case 2 -> h * h / 3 - (others[0] + others[1]) * h / 2 + others[0] * others[1];
                default -> throw new IllegalArgumentException("Adams–Bashforth weights up to order 3, got " + (k + 1));
            };
            beta[j] = integral / denominator;
        }
        return beta;
    }
}
