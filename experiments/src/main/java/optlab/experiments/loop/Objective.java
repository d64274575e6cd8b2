package optlab.experiments.loop;

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
 * What a run minimizes and how a batch reaches the model: the loss of outputs against targets and the input shape.
 * Cross-entropy takes class indices; MSE is the mean over batch × outputs, against one-hot targets for classes and
 * against the targets themselves for regression ({@code classes} = 0). Whether inputs are flattened to [B, D] is
 * decided once, from the model ({@link #flattens(Model)}). Accuracy is NaN for regression.
 */
public final class Objective {
    private final LossKind kind;
    private final int classes;
    private final boolean flatten;

    /** @param classes number of classes, or 0 for regression */
    public Objective(LossKind kind, int classes, boolean flatten) {
        this.kind = kind;
        this.classes = classes;
        this.flatten = flatten;
    }

    /** The objective for {@code model}, flattening inputs when the model takes [B, D]. */
    public static Objective of(Model model, LossKind kind, int classes) {
        return new Objective(kind, classes, flattens(model));
    }

    /**
     * Whether the model takes flat [B, D] inputs: its first parameter (state-dict order, the first layer the input
     * meets) is a matrix [out, D] — a Linear or a distance layer — rather than a convolution's [out, C, kh, kw] or a
     * token embedding. Every zoo family answers this way without looking at its spec string.
     */
    public static boolean flattens(Model model) {
        var params = model.namedParameters();
        return !params.isEmpty() && params.values().iterator().next().shape().length == 2;
    }

    public LossKind kind() {
        return kind;
    }

    public int classes() {
        return classes;
    }

    public boolean flatten() {
        return flatten;
    }

    /** {@code x} [B, ...] as the model takes it: flattened to [B, D] when it takes flat inputs (a view; x is contiguous). */
    public Tensor input(Tensor x) {
        if (!flatten || x.rank() == 2) {
            return x;
        }
        int b = x.dim(0);
        return x.reshape(b, b == 0 ? 0 : Math.toIntExact(x.numel() / b));
    }

    /**
     * The training loss of outputs {@code out} [B, C] against targets {@code y}, as a node of {@code g}; host targets
     * are placed where the graph's backend computes.
     */
    public Variable loss(Graph g, Variable out, Tensor y) {
        if (classes == 0) {
            return g.mse(out, Variable.constant(g.place(y)));
        }
        return Losses.node(g, kind, out, y, classes);
    }

    /**
     * The model's loss on batch (x, y) as a node of {@code g}: forward of the shaped input, then the loss. A host batch
     * goes to a device backend's memory once here, so no op of the step transfers it again.
     */
    public Variable batchLoss(Graph g, Model model, Tensor x, Tensor y) {
        return loss(g, model.forward(g, Variable.constant(g.place(input(x)))), y);
    }

    /**
     * Mean loss and accuracy over the first {@code limit} samples of {@code data} (all when limit ≥ size) in eval
     * mode (BatchNorm on running statistics, no Dropout), in no-grad graphs of at most {@code batch} samples; the
     * model returns to the mode it was in. Batches are row views, or for 8-bit images rows decoded into a pooled
     * buffer; the loss is the sample-weighted mean of batch means.
     */
    public Metrics evaluate(Model model, Dataset data, int limit, Backend backend, BufferPool pool, int batch) {
        int n = Math.min(limit, data.size());
        if (n == 0) {
            return Metrics.NONE;
        }
        double lossSum = 0;
        long correct = 0;
        boolean wasTraining = model.training();
        model.eval();
        try {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Dataset rows = data.rows(from, to);
                try (Graph g = Graph.noGrad(backend, pool)) {
                    Variable out = model.forward(g, Variable.constant(g.place(input(data.featureRows(from, to, g.scope())))));
                    lossSum += (to - from) * backend.item(loss(g, out, rows.targets()).value());
                    if (classes > 0) {
                        Tensor arg = g.empty(out.dtype(), to - from, 1);
                        backend.argmax(out.value(), 1, arg);
                        arg = backend.toHost(arg, g.scope());
                        for (int i = 0; i < to - from; i++) {
                            correct += arg.getFlat(i) == rows.targets().getFlat(i) ? 1 : 0;
                        }
                    }
                }
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        return new Metrics(lossSum / n, classes > 0 ? (double) correct / n : Double.NaN);
    }
}
