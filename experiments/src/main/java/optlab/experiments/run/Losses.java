package optlab.experiments.run;

import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/** The training loss as a graph node, for {@link LossKind}; MSE builds one-hot targets in the graph's scope. */
final class Losses {
    private Losses() {
    }

    /** loss(logits [B, C], class indices [B]) as a 0-d node of {@code g}. */
    static Variable node(Graph g, LossKind kind, Variable logits, Tensor classes, int numClasses) {
        return switch (kind) {
            case CROSS_ENTROPY -> g.crossEntropy(logits, classes);
            case MSE -> g.mse(logits, Variable.constant(oneHot(g, classes, logits.dtype(), numClasses)));
        };
    }

    /** The loss value only (no-grad use). */
    static double value(Graph g, LossKind kind, Tensor logits, Tensor classes, int numClasses) {
        return node(g, kind, Variable.constant(logits), classes, numClasses).value().item();
    }

    private static Tensor oneHot(Graph g, Tensor classes, optlab.tensor.DType dtype, int numClasses) {
        int b = classes.dim(0);
        Tensor t = g.scope().zeros(dtype, b, numClasses);
        for (int i = 0; i < b; i++) {
            t.set(1.0, i, (int) classes.getFlat(i));
        }
        return t;
    }
}
