package optlab.experiments.analysis;

import optlab.experiments.run.LossKind;
import optlab.experiments.run.Losses;
import optlab.models.BatchLoss;
import optlab.models.Model;
import optlab.models.ModelOracle;
import optlab.optim.geometry.HessianTop;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/**
 * The top Hessian eigenvalue λ_max of a {@link Model}'s loss on one fixed batch, by {@link HessianTop} (power
 * iteration on central-difference Hessian–vector products; see there for the step size). Each Hessian–vector
 * product is two forward/backward passes of the batch.
 *
 * <p>The loss is whatever {@link BatchLoss} builds: a plain classification loss ({@link #classification}) or,
 * for the γ sweeps, the centred and 1/γ-scaled output f_θ − f_θ0 followed by the loss. The model is evaluated
 * in its current mode. In training mode every gradient rewinds the model's step counter, so dropout draws the
 * same masks each time (a fixed function of θ), and the buffers (BatchNorm running statistics, which each
 * training forward updates) are restored afterwards, as are the gradients the caller had. Note that in
 * training mode BatchNorm normalizes with batch statistics, which is the loss SGD actually descends.
 */
public final class ModelHessian {
    private ModelHessian() {
    }

    /**
     * λ_max of {@code loss} at the model's current parameters.
     *
     * @param iters maximum power steps (each two gradients); 20–100 is typical
     * @param tol   relative change of the estimate that stops the iteration
     * @param seed  seed of the start direction
     */
    public static HessianTop.Result top(Model model, Backend backend, BatchLoss loss, int iters, double tol, long seed) {
        if (model == null || backend == null || loss == null) {
            throw new NullPointerException("ModelHessian.top: model, backend and loss must not be null");
        }
        try (ModelOracle oracle = ModelOracle.bind(model, backend, null, loss)) {
            return HessianTop.powerIteration(oracle, model.parameters(), iters, tol, seed);
        }
    }

    /**
     * The classification loss of the training runs on a fixed batch: {@code x} already in the model's input
     * shape, {@code classes} the class indices [B]; cross-entropy (mean over the batch) or MSE against one-hot
     * targets (mean over B·C), as {@link LossKind} defines them.
     */
    public static BatchLoss classification(Model model, Tensor x, Tensor classes, LossKind kind, int numClasses) {
        return g -> {
            Variable logits = model.forward(g, Variable.constant(x));
            return Losses.node(g, kind, logits, classes, numClasses);
        };
    }
}
