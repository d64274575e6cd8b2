package optlab.experiments.loop;

import java.io.IOException;
import java.nio.file.Path;
import optlab.experiments.data.Dataset;
import optlab.experiments.run.AtomicFiles;
import optlab.optim.geometry.PathDots;
import optlab.optim.geometry.PathGeometry;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The geometry at w_t of the full-batch gradient ∇L(w_t) = Σ_b (n_b / N) ∇ℓ_b(w_t) over the whole training set, in
 * chunks of {@code batch} samples through {@link StepView#oracleFor}, at the first step of every {@code every_epochs}-th
 * epoch (step 0 included) into {@code geometry_full.csv}: {@code step,epoch,dist,grad_norm,inner,rsi,eb,cos,lolr}.
 * The model is in training mode as in the step (BatchNorm on chunk statistics, dropout drawn as this step did), so
 * it is the gradient of the training objective, not of the eval-mode loss. Costs one epoch of gradients per row.
 */
public final class FullBatchGeometry extends EndPointProbe {
    static final String FILE = "geometry_full.csv";
    private final long everyEpochs;
    private final int chunk;
    private Tensor grad, full;

    public FullBatchGeometry(EndPoint end, long everyEpochs, int chunk) {
        super(end, FILE, "step,epoch," + GeometryCsv.MEASURES);
        if (everyEpochs < 1 || chunk < 1) {
            throw new IllegalArgumentException("geometry_full: every_epochs and batch must be >= 1");
        }
        this.everyEpochs = everyEpochs;
        this.chunk = chunk;
    }

    @Override
    public String name() {
        return "geometry_full";
    }

    @Override
    public void start(RunContext run) throws IOException {
        train(run);
        super.start(run);
        Tensor w = run.model().parameters();
        grad = scope.emptyLike(w);
        full = scope.emptyLike(w);
    }

    @Override
    public void afterBackward(StepView s) {
        if (s.step() % (run.batchesPerEpoch() * everyEpochs) != 0) {
            return;
        }
        Dataset train = run.train();
        int n = train.size();
        Tensor w = s.params();
        FixedBatchGeometry.zero(full);
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            Dataset rows = train.rows(from, to);
            try (Scope rowsScope = Scope.open()) {
                Tensor x = rows.featureRows(0, to - from, rowsScope);
                s.oracleFor(x, rows.targets()).gradient(w, grad);
            }
            FixedBatchGeometry.axpy((double) (to - from) / n, grad, full);
        }
        PathDots d = PathGeometry.dots(s.backend(), w, full, wStar, null);
        csv.append(s.step()).append(',').append(s.epoch());
        GeometryCsv.measures(csv, d);
        csv.append('\n');
    }


}
