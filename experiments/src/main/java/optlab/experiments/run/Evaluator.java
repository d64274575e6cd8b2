package optlab.experiments.run;

import optlab.experiments.data.Dataset;
import optlab.models.Model;
import optlab.tensor.BufferPool;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/**
 * Loss and accuracy of a model over a dataset in eval mode (BatchNorm running statistics, no Dropout), in
 * no-grad graphs on the run's pool; the model returns to training mode afterwards. Batches are row views of
 * the dataset (file order), or for 8-bit images rows decoded into a pooled buffer; the loss is the
 * sample-weighted mean of batch means.
 */
final class Evaluator {
    private final Backend backend;
    private final BufferPool pool;
    private final LossKind loss;
    private final boolean flatten;
    private final int batchSize;

    Evaluator(Backend backend, BufferPool pool, LossKind loss, boolean flatten, int batchSize) {
        this.backend = backend;
        this.pool = pool;
        this.loss = loss;
        this.flatten = flatten;
        this.batchSize = batchSize;
    }

    /** Metrics over the first {@code limit} samples of {@code data} (all when limit ≥ size). */
    Metrics evaluate(Model model, Dataset data, int limit) {
        int n = Math.min(limit, data.size());
        if (n == 0) {
            return Metrics.NONE;
        }
        boolean wasTraining = model.training();
        model.eval();
        try {
            double lossSum = 0;
            long correct = 0;
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                Dataset rows = data.rows(from, to);
                try (Graph g = Graph.noGrad(backend, pool)) {
                    Tensor x = rows.featureRows(0, to - from, g.scope()); // a view, or 8-bit pixels decoded
                    Tensor logits = model.forward(g, Variable.constant(Inputs.shape(x, flatten))).value();
                    lossSum += (to - from) * Losses.value(g, loss, logits, rows.targets(), data.numClasses());
                    correct += correct(g.scope(), logits, rows.targets());
                }
            }
            return new Metrics(lossSum / n, (double) correct / n);
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    /** Samples whose largest logit (first on ties) is at the target class. */
    private long correct(Scope scope, Tensor logits, Tensor targets) {
        int rows = logits.dim(0);
        Tensor arg = scope.empty(logits.dtype(), rows, 1);
        backend.argmax(logits, 1, arg);
        long hits = 0;
        for (int i = 0; i < rows; i++) {
            hits += arg.getFlat(i) == targets.getFlat(i) ? 1 : 0;
        }
        return hits;
    }
}
