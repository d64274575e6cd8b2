package optlab.optim.integrate;

import java.util.OptionalInt;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;

/**
 * An optimizer that integrates the gradient flow dw/dt = −∇L(w) with step h = lr. Its state counts the gradient
 * evaluations made so far (the loop's own gradient of each step included) as the saved scalar {@value #EVALUATIONS},
 * so a run can log cost in gradients as well as in steps.
 */
public interface FlowIntegrator extends Optimizer {
    /** The saved scalar counting gradient evaluations since init. */
    String EVALUATIONS = "grad_evals";

    /**
     * Gradient evaluations per step, the loop's one included (1 for euler, ab2, ab3; 2 for heun; 4 for rk4), or
     * empty where it varies from step to step (rk23: 1 + 3 per attempt).
     */
    OptionalInt gradientsPerStep();

    /** Gradient evaluations since {@code state} was made (saved with it). */
    static long gradientEvaluations(OptimizerState state) {
        return (long) state.scalar(EVALUATIONS);
    }
}
