package optlab.experiments.analysis;

import java.util.ArrayList;
import java.util.List;
import optlab.experiments.run.LossKind;
import optlab.experiments.run.Losses;
import optlab.models.Buffer;
import optlab.models.Model;
import optlab.optim.GradientOracle;
import optlab.optim.geometry.HessianTop;
import optlab.tensor.BufferPool;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
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

    /** Builds the scalar (0-d) loss of a fixed batch in {@code g}, running the model's forward in it. */
    @FunctionalInterface
    public interface BatchLoss {
        Variable loss(Graph g);
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
        long step = model.step();
        List<double[]> buffers = new ArrayList<>();
        for (Buffer b : model.namedBuffers().values()) {
            buffers.add(b.value().toDoubleArray());
        }
        Tensor grads = model.gradients();
        double[] savedGrads = grads.toDoubleArray();
        try (BufferPool pool = new BufferPool()) {
            GradientOracle oracle = (params, out) -> {
                if (params != model.parameters()) {
                    throw new IllegalArgumentException("ModelHessian: the oracle differentiates the model's own parameter block");
                }
                model.setStep(step);
                model.zeroGrad();
                try (Graph g = Graph.open(backend, pool)) {
                    Variable l = loss.loss(g);
                    if (l.value().numel() != 1) {
                        throw new IllegalArgumentException("ModelHessian: the batch loss must be a scalar, got shape "
                                + java.util.Arrays.toString(l.value().shape()));
                    }
                    g.backward(l);
                }
                out.copyFrom(model.gradients()); // fetched after the pass: it settles discarded gradients
            };
            return HessianTop.powerIteration(oracle, model.parameters(), iters, tol, seed);
        } finally {
            model.setStep(step);
            int i = 0;
            for (Buffer b : model.namedBuffers().values()) {
                restore(b.value(), buffers.get(i++));
            }
            restore(model.gradients(), savedGrads);
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

    private static void restore(Tensor t, double[] values) {
        for (int i = 0; i < values.length; i++) {
            t.setFlat(i, values[i]);
        }
    }
}
