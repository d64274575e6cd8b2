package optlab.optim;

import optlab.optim.internal.DeviceFlowKernels;
import optlab.optim.internal.Kernels;
import optlab.optim.internal.Team;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;

/**
 * Gradient clipping over a flat gradient block, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. Host blocks
 * run the vectorized kernels; a block in device memory runs on the backend that holds it (the overloads taking a
 * {@link Backend}): clamping and scaling give the host's bits, the norm's sum of squares is taken in double by the
 * backend's reduce in another order than the host's (squares rounded to the dtype, the sum rounded once to it), so
 * the norm agrees to the dtype's precision. The device's temporaries are leased from the backend's pool for the
 * call (after the first call the pool reuses them: no device allocation per step).
 */
public final class GradClip {
    private GradClip() {
    }

    /** The L2 norm of the whole block, √Σg² (sum of squares accumulated in double across tiles). */
    public static double totalNorm(Tensor grads) {
        return totalNorm(null, grads);
    }

    /**
     * {@link #totalNorm(Tensor)} of a block wherever it lies: {@code backend} (which may be null for host blocks)
     * must be the device backend holding {@code grads} when it lies in device memory.
     */
    public static double totalNorm(Backend backend, Tensor grads) {
        FlatBlock.check("totalNorm", "grads", grads);
        if (!grads.onDevice()) {
            return Math.sqrt(Kernels.sumOfSquares(Team.CALLER, grads.dtype(), grads.segment(), grads.offset(), grads.numel()));
        }
        Backend b = device("totalNorm", backend, grads);
        try (Scope s = Scope.open()) {
            Tensor squares = b.empty(s, grads.dtype(), Math.toIntExact(grads.numel())), sum = b.empty(s, grads.dtype(), 1);
            return Math.sqrt(DeviceFlowKernels.sumOfSquares(b, grads, squares, sum));
        }
    }

    /**
     * Scales the block by clip_coef = max_norm / (total_norm + 1e-6) when clip_coef &lt; 1 (torch's
     * formula) and returns total_norm from before clipping. Unlike torch, a non-finite norm leaves the
     * gradients untouched (torch multiplies them by NaN); the caller sees it in the returned value.
     */
    public static double clipGradNorm(Tensor grads, double maxNorm) {
        return clipGradNorm(null, grads, maxNorm);
    }

    /** {@link #clipGradNorm(Tensor, double)} of a block wherever it lies (see {@link #totalNorm(Backend, Tensor)}). */
    public static double clipGradNorm(Backend backend, Tensor grads, double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: max_norm must be >= 0, got " + maxNorm);
        }
        double norm = totalNorm(backend, grads);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            if (grads.onDevice()) {
                DeviceFlowKernels.scale(backend, grads, coef);
            } else {
                Kernels.scale(grads.dtype(), grads.segment(), grads.offset(), grads.numel(), coef);
            }
        }
        return norm;
    }

    /** Clamps every gradient to [−clip_value, clip_value]. */
    public static void clipGradValue(Tensor grads, double clipValue) {
        clipGradValue(null, grads, clipValue);
    }

    /** {@link #clipGradValue(Tensor, double)} of a block wherever it lies (see {@link #totalNorm(Backend, Tensor)}). */
    public static void clipGradValue(Backend backend, Tensor grads, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clip_value must be >= 0, got " + clipValue);
        }
        FlatBlock.check("clipGradValue", "grads", grads);
        if (grads.onDevice()) {
            DeviceFlowKernels.clamp(device("clipGradValue", backend, grads), grads, -clipValue, clipValue);
        } else {
            Kernels.clamp(grads.dtype(), grads.segment(), grads.offset(), grads.numel(), -clipValue, clipValue);
        }
    }

    /** The backend that computes on the device block {@code grads}, or a failure naming the call. */
    private static Backend device(String op, Backend backend, Tensor grads) {
        if (backend == null || !backend.deviceMemory()) {
            throw new IllegalArgumentException("gradient clipping (" + op + ") of a block in device memory needs the"
                    + " device backend that holds it, got " + (backend == null ? "none" : backend.name())
                    + ": call " + op + "(backend, grads, …)");
        }
        return backend;
    }
}
