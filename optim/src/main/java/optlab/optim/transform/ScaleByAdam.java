package optlab.optim.transform;

import java.util.List;

/**
 * Adam's preconditioner (Kingma and Ba), as torch.optim.Adam computes it at step t:
 * m ← β₁m + (1 − β₁)u, v ← β₂v + (1 − β₂)u², w = max(w, v) with AMSGrad (else w = v),
 * u ← (m / (1 − β₁ᵗ)) / (√w / √(1 − β₂ᵗ) + ε). Like torch (and unlike the paper's Algorithm 1) ε is
 * added after the bias correction of √v; AMSGrad keeps the maximum of the raw v as torch does
 * (Reddi et al. take the maximum of v without bias correction as well).
 */
public record ScaleByAdam(double beta1, double beta2, double eps, boolean amsgrad) implements Transform {
    @Override
    public List<StateBuffer> buffers() {
        return amsgrad
                ? List.of(new StateBuffer("exp_avg", 0), new StateBuffer("exp_avg_sq", 0),
                        new StateBuffer("max_exp_avg_sq", 0))
                : List.of(new StateBuffer("exp_avg", 0), new StateBuffer("exp_avg_sq", 0));
    }
}
