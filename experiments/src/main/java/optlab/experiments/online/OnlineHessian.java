package optlab.experiments.online;

import optlab.experiments.analysis.ModelHessian;
import optlab.experiments.data.Dataset;
import optlab.models.Model;
import optlab.tensor.BufferPool;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/**
 * The top Hessian eigenvalue λ_max of the training loss at the end of a run: {@link ModelHessian} (power iteration
 * on central finite differences of gradients, not double backward) on a fixed batch, the first {@value #BATCH}
 * held-out samples, so every run of a sweep is measured on the same samples. The loss is the run's own (centered,
 * 1/γ0-scaled output, MSE or cross-entropy); with lr = N·η0 the edge of stability is λ_max ≈ 2/lr. NaN when the
 * finite-difference products overflow (a run that ended on the brink of divergence).
 */
final class OnlineHessian {
    static final int BATCH = 256;

    private OnlineHessian() {
    }

    static double top(Model model, Objective objective, OnlineData.Opened data, Backend backend, BufferPool pool,
            OnlineConfig c) {
        Dataset rows = data.test().rows(0, Math.min(BATCH, data.test().size()));
        try (Scope scope = Scope.open()) {
            Tensor x = objective.input(rows.featureRows(0, rows.size(), scope)); // 8-bit images decoded here
            return ModelHessian.top(model, backend,
                    g -> objective.loss(g, model.forward(g, Variable.constant(x)), rows.targets()),
                    c.hessianIterations(), 1e-3, c.seed()).eigenvalue();
        } catch (IllegalStateException e) {
            // A run that ended finite but on the brink (weights about to overflow) has no usable curvature: NaN.
            return Double.NaN;
        }
    }
}
