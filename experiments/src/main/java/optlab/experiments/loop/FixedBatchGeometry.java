package optlab.experiments.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import optlab.experiments.data.Dataset;
import optlab.experiments.run.AtomicFiles;
import optlab.optim.geometry.PathDots;
import optlab.optim.geometry.PathGeometry;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The geometry at w_t of gradients on minibatches that do not change along the path: {@code batches} (10) minibatches
 * of the run's batch size, drawn once (seeded by the run's seed) as contiguous blocks of the training set at the
 * first step, measured at step 0 and every {@code every} steps into {@code geometry_fixed.csv}:
 * {@code step,batch,dist,grad_norm,inner,rsi,eb,cos,lolr}, one row per batch (0 …) and one row {@code mean} for their
 * average gradient (a batch {@code batches} times larger). Separates how the path relates to w* from which batch
 * the step happened to draw. Gradients come from {@link StepView#oracleFor} (the run is not disturbed).
 */
public final class FixedBatchGeometry extends EndPointProbe {
    static final String FILE = "geometry_fixed.csv";
    private final long every;
    private final int count;
    private Tensor grad, mean;
    private final List<Tensor> xs = new ArrayList<>(), ys = new ArrayList<>();

    public FixedBatchGeometry(EndPoint end, long every, int batches) {
        super(end, FILE, "step,batch," + GeometryCsv.MEASURES);
        if (every < 1 || batches < 1) {
            throw new IllegalArgumentException("geometry_fixed: every and batches must be >= 1");
        }
        this.every = every;
        this.count = batches;
    }

    @Override
    public String name() {
        return "geometry_fixed";
    }

    @Override
    public void start(RunContext run) throws IOException {
        train(run);
        super.start(run);
        Tensor w = run.model().parameters();
        grad = scope.emptyLike(w);
        mean = scope.emptyLike(w);
    }

    private void draw(int batch) {
        Dataset train = run.train();
        int b = Math.min(batch, train.size());
        SplittableRandom r = new SplittableRandom(run.seed() ^ 0x5eed_f1edL);
        for (int i = 0; i < count; i++) {
            int from = r.nextInt(train.size() - b + 1);
            Dataset rows = train.rows(from, from + b);
            xs.add(rows.featureRows(0, b, scope));
            ys.add(rows.targets());
        }
    }

    @Override
    public void afterBackward(StepView s) {
        if (s.step() % every != 0) {
            return;
        }
        if (xs.isEmpty()) {
            draw(s.batchSize());
        }
        Tensor w = s.params();
        double scale = 1.0 / count;
        zero(mean);
        for (int i = 0; i < count; i++) {
            s.oracleFor(xs.get(i), ys.get(i)).gradient(w, grad);
            row(s.step(), Integer.toString(i), PathGeometry.dots(s.backend(), w, grad, wStar, null));
            axpy(scale, grad, mean);
        }
        row(s.step(), "mean", PathGeometry.dots(s.backend(), w, mean, wStar, null));
    }

    private void row(long step, String batch, PathDots d) {
        csv.append(step).append(',').append(batch);
        GeometryCsv.measures(csv, d);
        csv.append('\n');
    }

    static void zero(Tensor t) {
        t.segment().asSlice(t.offset() * t.dtype().byteSize(), t.numel() * t.dtype().byteSize()).fill((byte) 0);
    }

    /** acc += a·x elementwise over two contiguous blocks of one dtype, in double. */
    static void axpy(double a, Tensor x, Tensor acc) {
        DType t = x.dtype();
        var xs = x.segment();
        var as = acc.segment();
        long xo = x.offset(), ao = acc.offset();
        for (long i = 0, n = x.numel(); i < n; i++) {
            t.set(as, ao + i, t.get(as, ao + i) + a * t.get(xs, xo + i));
        }
    }


}
