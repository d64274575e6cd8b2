package optlab.optim.integrate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import optlab.optim.GradientOracle;
import optlab.optim.OptimizerState;
import optlab.optim.ParamSpace;
import optlab.optim.internal.DeviceFlowKernels;
import optlab.optim.internal.FlowKernels;
import optlab.tensor.Tensor;

/**
 * The Bogacki–Shampine 3(2) pair with step-size control, as scipy's {@code solve_ivp(method="RK23")}, on the flow
 * dw/dt = −f(w), f = ∇L + λw. One step from w_t with trial step h (k_1 = f(w_t) is the loop's gradient):
 * <pre>
 *   k_2 = f(w_t − h/2 k_1),  k_3 = f(w_t − 3h/4 k_2),  w_new = w_t − h (2/9 k_1 + 1/3 k_2 + 4/9 k_3)   (order 3)
 *   k_4 = f(w_new),  e = h (5/72 k_1 − 1/12 k_2 − 1/9 k_3 + 1/8 k_4)                    (3rd minus 2nd order)
 *   ‖e‖ = RMS_i( e_i / (atol + rtol·max(|w_t,i|, |w_new,i|)) )
 * </pre>
 * Accepted when ‖e‖ &lt; 1, and the next step tries h·min(5, 0.9‖e‖^(−1/3)) (at most h after a rejection in the
 * same step); rejected, it retries from w_t on the same minibatch with h·max(0.2, 0.9‖e‖^(−1/3)). The carried h
 * is saved, capped each step by the lr passed to step (so lr is the first trial step and the largest step, and a
 * schedule bounds the controller). Each try costs three oracle calls, so a step costs 1 + 3·tries gradients.
 *
 * <p>FSAL (k_4 is f at the accepted point) is not used: the loop's next step takes its gradient on the next
 * minibatch, so k_4 is not the next k_1 (with a full batch it is, and the loop pays for it once more).
 * No momentum: the controller bounds the error of the flow step, which momentum would leave. Saved scalars:
 * {@value #H} (the next trial step), {@value #H_ACCEPTED}, {@value #ACCEPTED}, {@value #REJECTED}, and the
 * gradient count.
 *
 * @param lr          first trial step and largest step h (default 1e-3, as SGD's)
 * @param rtol        relative tolerance (scipy's default 1e-3)
 * @param atol        absolute tolerance (scipy's default 1e-6)
 * @param weightDecay λ, added to every stage's gradient
 */
public record Rk23(double lr, double rtol, double atol, double weightDecay) implements FlowIntegrator {
    public static final String H = "h";
    public static final String H_ACCEPTED = "h_accepted";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    static final double SAFETY = 0.9, MIN_FACTOR = 0.2, MAX_FACTOR = 5;
    /** Tries per step before giving up: 0.2^60 ≈ 1e-42 of the first h. */
    static final int MAX_TRIES = 60;
    private static final double[] E = {5.0 / 72, -1.0 / 12, -1.0 / 9, 1.0 / 8};
    private static final List<String> SCALARS = List.of(H, H_ACCEPTED, ACCEPTED, REJECTED);

    public Rk23 {
        Steps.nonNegative("learning rate", lr);
        if (!(rtol > 0 && atol >= 0 && Double.isFinite(rtol) && Double.isFinite(atol))) {
            throw new IllegalArgumentException("Invalid tolerances: rtol = " + rtol + " must be > 0 and atol = " + atol
                    + " >= 0, both finite");
        }
        Steps.nonNegative("weight_decay value", weightDecay);
    }

    /** scipy's tolerances rtol = 1e-3, atol = 1e-6, no weight decay. */
    public Rk23(double lr) {
        this(lr, 1e-3, 1e-6, 0);
    }

    public Rk23 withLr(double lr) {
        return new Rk23(lr, rtol, atol, weightDecay);
    }

    @Override
    public String name() {
        return "rk23";
    }

    @Override
    public String spec() {
        return Steps.spec(name(), "lr", lr, "rtol", rtol, "atol", atol, "weight_decay", weightDecay);
    }

    @Override
    public OptionalInt gradientsPerStep() {
        return OptionalInt.empty();
    }

    @Override
    public boolean needsOracle() {
        return true;
    }

    /** The step the next step will try first (before the lr cap); 0 before the first step. */
    public static double stepSize(OptimizerState state) {
        return state.scalar(H);
    }

    /** The h of the last accepted step. */
    public static double acceptedStepSize(OptimizerState state) {
        return state.scalar(H_ACCEPTED);
    }

    /** Accepted tries since init (one per step). */
    public static long accepted(OptimizerState state) {
        return (long) state.scalar(ACCEPTED);
    }

    /** Rejected tries since init. */
    public static long rejected(OptimizerState state) {
        return (long) state.scalar(REJECTED);
    }

    @Override
    public OptimizerState init(ParamSpace space) {
        Map<String, Double> s = new LinkedHashMap<>();
        for (String name : SCALARS) {
            s.put(name, 0.0);
        }
        return Steps.init(name() + ".init", space.values(), List.of(), s);
    }

    @Override
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr) {
        step(state, params, grads, lr, null);
    }

    @Override
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr, GradientOracle oracle) {
        String op = name() + ".step";
        Steps.check(op, state, params, grads, List.of(), SCALARS);
        if (oracle == null) {
            throw Steps.needsOracle(name());
        }
        state.advance();
        Steps.count(state, 1);
        double carried = state.scalar(H);
        double h = carried > 0 && carried < lr ? carried : lr;
        if (h == 0) {
            return;
        }
        Tensor w0 = state.scratch("w0");
        Tensor[] k = {state.scratch("k1"), state.scratch("k2"), state.scratch("k3"), state.scratch("k4")};
        FlowOps.copy(state, w0, params);
        field(state, k[0], grads, params); // grads is read here only: the oracle may write into it from now on
        boolean rejectedHere = false;
        double norm = Double.NaN;
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            FlowOps.combine(state, params, new double[] {1, -h / 2}, w0, k[0]);
            evaluate(state, oracle, params, k[1]);
            FlowOps.combine(state, params, new double[] {1, -0.75 * h}, w0, k[1]);
            evaluate(state, oracle, params, k[2]);
            FlowOps.combine(state, params, new double[] {1, -2 * h / 9, -h / 3, -4 * h / 9}, w0, k[0], k[1], k[2]);
            evaluate(state, oracle, params, k[3]);
            Steps.count(state, 3);
            double[] c = {h * E[0], h * E[1], h * E[2], h * E[3]};
            norm = Math.sqrt(errorSquares(state, w0, params, c, k) / params.numel());
            if (norm < 1) {
                double factor = norm == 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * Math.pow(norm, -1.0 / 3));
                state.setScalar(H, h * (rejectedHere ? Math.min(1, factor) : factor));
                state.setScalar(H_ACCEPTED, h);
                state.setScalar(ACCEPTED, state.scalar(ACCEPTED) + 1);
                return; // params holds w_new
            }
            // NaN (a non-finite gradient) shrinks by the most and, never accepted, ends in the failure below.
            h *= norm > 0 ? Math.max(MIN_FACTOR, SAFETY * Math.pow(norm, -1.0 / 3)) : MIN_FACTOR;
            state.setScalar(REJECTED, state.scalar(REJECTED) + 1);
            rejectedHere = true;
        }
        FlowOps.copy(state, params, w0);
        throw new IllegalStateException(op + ": no step accepted in " + MAX_TRIES + " tries at step " + state.step()
                + " (last scaled error " + norm + ", h down to " + h + "); params left at w_t");
    }

    /**
     * The squared scaled error between w and the proposal y: the fused host pass, or on a device the backend's ops
     * with e formed in the scratch "err" and k_2, k_3 (free once e is formed: a retry recomputes them) as temporaries.
     * The device sums the squares in double in another order, so ‖e‖ agrees with the host's to the dtype's precision
     * and a try accepted on one within that much of ‖e‖ = 1 could be rejected on the other (CudaFlowTest checks
     * that its runs make the same decisions).
     */
    private double errorSquares(OptimizerState state, Tensor w, Tensor y, double[] c, Tensor[] k) {
        if (!y.onDevice()) {
            return FlowKernels.scaledErrorSquares(state.team(), w, y, c, k, atol, rtol);
        }
        return DeviceFlowKernels.scaledErrorSquares(state.backend(), w, y, c, k, atol, rtol, state.scratch("err"), k[1],
                k[2]);
    }

    /** out = g + λ·y: the field at y from the loss gradient g there. */
    private void field(OptimizerState state, Tensor out, Tensor g, Tensor y) {
        if (weightDecay == 0) {
            FlowOps.copy(state, out, g);
        } else {
            FlowOps.combine(state, out, new double[] {1, weightDecay}, g, y);
        }
    }

    /** out = f(params) through the oracle. */
    private void evaluate(OptimizerState state, GradientOracle oracle, Tensor params, Tensor out) {
        oracle.gradient(params, out);
        if (weightDecay != 0) {
            FlowOps.combine(state, out, new double[] {1, weightDecay}, out, params);
        }
    }
}
