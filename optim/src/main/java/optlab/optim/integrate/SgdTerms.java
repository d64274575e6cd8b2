package optlab.optim.integrate;

import java.util.List;
import optlab.optim.OptimizerState;
import optlab.optim.internal.Kernels;
import optlab.optim.transform.StateBuffer;
import optlab.tensor.Tensor;
import optlab.tensor.update.UpdateStage;

/**
 * What torch's SGD adds to a descent direction, on top of an integrator. Weight decay λ changes the field: every
 * stage's gradient is ∇L(y) + λy at its own trial point y, so the rule integrates the flow of L + (λ/2)‖w‖².
 * Heavy-ball momentum applies, as torch's SGD does to g, to the integrator's combined direction d = Σ b_i k_i
 * (or Adams–Bashforth's Σ β_j f_j): b ← μb + (1 − dampening)d (b₁ = d), d ← d + μb (Nesterov) or d ← b, then
 * w ← w − lr·d. With momentum the rule no longer integrates the gradient flow (it is a discretisation of the
 * heavy-ball ODE with the stage scheme inside); with μ = 0 it is the plain integrator.
 *
 * @param momentum    μ ≥ 0
 * @param dampening   torch's dampening
 * @param weightDecay λ ≥ 0
 * @param nesterov    torch's Nesterov variant (needs μ &gt; 0 and zero dampening)
 */
public record SgdTerms(double momentum, double dampening, double weightDecay, boolean nesterov) {
    /** No momentum, no weight decay: the bare integrator. */
    public static final SgdTerms NONE = new SgdTerms(0, 0, 0, false);
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    public SgdTerms {
        Steps.nonNegative("momentum value", momentum);
        Steps.nonNegative("weight_decay value", weightDecay);
        if (!Double.isFinite(dampening)) {
            throw new IllegalArgumentException("Invalid dampening value: " + dampening);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    /** The saved buffers: torch's momentum_buffer when μ ≠ 0. */
    List<StateBuffer> buffers() {
        return momentum == 0 ? List.of() : List.of(new StateBuffer(MOMENTUM_BUFFER, 0));
    }

    /** The spec's key/value pairs. */
    Object[] spec() {
        return new Object[] {"momentum", momentum, "dampening", dampening, "weight_decay", weightDecay, "nesterov",
            nesterov};
    }

    /**
     * params ← params − lr·m(d) at step t (1-based) where m is the momentum above; with {@code decayHere}, d + λ·params
     * first (Euler's single stage, at params itself: the very pass torch's SGD runs, so euler equals sgd bit for bit).
     */
    void apply(OptimizerState state, Tensor params, Tensor direction, double lr, long t, boolean decayHere) {
        UpdateStage[] stages = new UpdateStage[(decayHere && weightDecay != 0 ? 1 : 0) + (momentum != 0 ? 1 : 0)];
        int i = 0;
        if (decayHere && weightDecay != 0) {
            stages[i++] = UpdateStage.of(UpdateStage.Kind.ADD_DECAYED_WEIGHTS, weightDecay);
        }
        if (momentum != 0) {
            // As optlab.optim.Chain lowers torch's momentum: the first step copies d into the buffer (0·0 + 1·d).
            double keep = t == 1 ? 0 : momentum, take = t == 1 ? 1 : 1 - dampening;
            double[] c = nesterov ? new double[] {keep, take, 1, momentum} : new double[] {keep, take, 0, 1};
            stages[i] = new UpdateStage(UpdateStage.Kind.MOMENTUM, c, new Tensor[] {state.buffer(MOMENTUM_BUFFER)}, false);
        }
        Kernels.update(state.backend(), state.team(), stages, lr, params, direction);
    }
}
