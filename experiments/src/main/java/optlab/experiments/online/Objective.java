package optlab.experiments.online;

import optlab.experiments.data.Dataset;
import optlab.experiments.run.LossKind;
import optlab.experiments.run.Losses;
import optlab.experiments.run.Metrics;
import optlab.models.Model;
import optlab.tensor.BufferPool;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/**
 * The loss of an online run and its evaluation on the held-out set. MSE is the mean over batch × outputs: against
 * one-hot targets for classes (targets not shifted, as the centered model starts at f ≡ 0), against the targets
 * themselves for regression. Cross-entropy takes class indices. Accuracy is NaN for regression.
 */
final class Objective {
    private final LossKind kind;
    private final int classes;
    private final boolean flatten;

    /** @param classes number of classes, or 0 for regression */
    Objective(LossKind kind, int classes, boolean flatten) {
        this.kind = kind;
        this.classes = classes;
        this.flatten = flatten;
    }

    /** {@code x} [B, ...] as the model takes it: flattened to [B, D] for an MLP (a view; x is contiguous). */
    Tensor input(Tensor x) {
        if (!flatten || x.rank() == 2) {
            return x;
        }
        int b = x.dim(0);
        return x.reshape(b, b == 0 ? 0 : Math.toIntExact(x.numel() / b));
    }

    /** The training loss of outputs {@code out} [B, C] against targets {@code y}, as a node of {@code g}. */
    Variable loss(Graph g, Variable out, Tensor y) {
        if (classes == 0) {
            return g.mse(out, Variable.constant(y));
        }
        return Losses.node(g, kind, out, y, classes);
    }

    /** Mean loss and accuracy over {@code test} in eval mode, in no-grad graphs of at most {@code batch} samples. */
    Metrics evaluate(Model model, Dataset test, Backend backend, BufferPool pool, int batch) {
        int n = test.size();
        double lossSum = 0;
        long correct = 0;
        model.eval(); // BatchNorm on running statistics
        try {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Dataset rows = test.rows(from, to);
                try (Graph g = Graph.noGrad(backend, pool)) {
                    // a view, or for 8-bit images the rows decoded into a pooled buffer
                    Variable out = model.forward(g, Variable.constant(input(test.featureRows(from, to, g.scope()))));
                    lossSum += (to - from) * loss(g, out, rows.targets()).value().item();
                    if (classes > 0) {
                        Tensor arg = g.scope().empty(out.dtype(), to - from, 1);
                        backend.argmax(out.value(), 1, arg);
                        for (int i = 0; i < to - from; i++) {
                            correct += arg.getFlat(i) == rows.targets().getFlat(i) ? 1 : 0;
                        }
                    }
                }
            }
        } finally {
            model.train();
        }
        return new Metrics(lossSum / n, classes > 0 ? (double) correct / n : Double.NaN);
    }
}
