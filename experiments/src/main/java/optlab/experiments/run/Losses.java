package optlab.experiments.run;

import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * The classification loss as a graph node, for {@link LossKind}; MSE builds one-hot targets in the graph's scope.
 * One definition for epoch runs, online runs and the Hessian of a model's loss.
 */
public final class Losses {
    private Losses() {
    }

    /** loss(logits [B, C], class indices [B]) as a 0-d node of {@code g}. */
    public static Variable node(Graph g, LossKind kind, Variable logits, Tensor classes, int numClasses) {
        return switch (kind) {
            case CROSS_ENTROPY -> g.crossEntropy(logits, g.place(classes));
            case MSE -> g.mse(logits, Variable.constant(g.place(oneHot(g, classes, logits.dtype(), numClasses))));
        };
    }

    /** The loss value only (no-grad use). */
    static double value(Graph g, LossKind kind, Tensor logits, Tensor classes, int numClasses) {
        return g.backend().item(node(g, kind, Variable.constant(logits), classes, numClasses).value());
    }

    /** One-hot rows for host class indices, built on the host (the caller places them). */
    private static Tensor oneHot(Graph g, Tensor classes, optlab.tensor.DType dtype, int numClasses) {
        int b = classes.dim(0);
        Tensor t = g.scope().zeros(dtype, b, numClasses);
        for (int i = 0; i < b; i++) {
            int c = (int) classes.getFlat(i);
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("loss: class " + c + " of sample " + i + " is outside [0, " + numClasses + ")");
            }
            t.set(1.0, i, c);
        }
        return t;
    }
}
