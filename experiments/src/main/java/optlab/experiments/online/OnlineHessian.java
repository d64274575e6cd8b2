package optlab.experiments.online;

import optlab.models.Model;
import optlab.tensor.BufferPool;
import optlab.tensor.backend.Backend;

/** The top Hessian eigenvalue of the training loss at the end of a run (see HessianTop). */
final class OnlineHessian {
    private OnlineHessian() {
    }

    static double top(Model model, Objective objective, OnlineData.Opened data, Backend backend, BufferPool pool,
            OnlineConfig c) {
        throw new UnsupportedOperationException("hessian_iterations: HessianTop is not available yet");
    }
}
