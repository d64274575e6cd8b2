package optlab.tensor.update;

import optlab.tensor.Tensor;

/**
 * The host implementation of a fused update, supplied by the optim module (its vectorized kernels live above the
 * tensor module): host backends run it as it is, on their own threads; device backends run their own kernel instead.
 */
@FunctionalInterface
public interface HostUpdate {
    /** Applies {@code stages} and p = p − lr·u to host tensors {@code params} and {@code grads} (contiguous, 1-D). */
    void run(UpdateStage[] stages, double lr, Tensor params, Tensor grads);
}
