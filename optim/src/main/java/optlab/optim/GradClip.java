package optlab.optim;

import optlab.optim.internal.HostOnly;
import optlab.optim.internal.Kernels;
import optlab.optim.internal.Team;
import optlab.tensor.Tensor;

/** Gradient clipping over a flat gradient block, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. */
public final class GradClip {
    private GradClip() {
    }

    /** The L2 norm of the whole block, √Σg² (sum of squares accumulated in double across tiles). */
    public static double totalNorm(Tensor grads) {
        HostOnly.check("gradient clipping", grads);
        FlatBlock.check("totalNorm", "grads", grads);
        return Math.sqrt(Kernels.sumOfSquares(Team.CALLER, grads.dtype(), grads.segment(), grads.offset(), grads.numel()));
    }

    /**
     * Scales the block by clip_coef = max_norm / (total_norm + 1e-6) when clip_coef &lt; 1 (torch's
     * formula) and returns total_norm from before clipping. Unlike torch, a non-finite norm leaves the
     * gradients untouched (torch multiplies them by NaN); the caller sees it in the returned value.
     */
    public static double clipGradNorm(Tensor grads, double maxNorm) {
        HostOnly.check("gradient clipping", grads);
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: max_norm must be >= 0, got " + maxNorm);
        }
        double norm = totalNorm(grads);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            Kernels.scale(grads.dtype(), grads.segment(), grads.offset(), grads.numel(), coef);
        }
        return norm;
    }

    /** Clamps every gradient to [−clip_value, clip_value]. */
    public static void clipGradValue(Tensor grads, double clipValue) {
        HostOnly.check("gradient clipping", grads);
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clip_value must be >= 0, got " + clipValue);
        }
        FlatBlock.check("clipGradValue", "grads", grads);
        Kernels.clamp(grads.dtype(), grads.segment(), grads.offset(), grads.numel(), -clipValue, clipValue);
    }
}
