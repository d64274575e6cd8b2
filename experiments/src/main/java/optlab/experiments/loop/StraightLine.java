package optlab.experiments.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.Metrics;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The straight line from the start to the end of the path: at the end of the run, the training loss and accuracy
 * (eval mode, first {@code samples} training samples) at w(α) = (1 − α) w_0 + α w* for {@code points} (21) values
 * α = 0 … 1 into {@code straight_line.csv} ({@code alpha,loss,accuracy}), and the chord ‖w_0 − w*‖ in the summary
 * (the path length Σ‖u_t‖ is the {@code geometry} probe's). A loss that falls monotonically along the line is the
 * paper's "no wrong turns" seen from the endpoints. The parameters are restored to w_T afterwards; BatchNorm uses
 * the running statistics of w_T at every point (they are not interpolated). Skipped when the run diverged.
 */
public final class StraightLine extends EndPointProbe {
    static final String FILE = "straight_line.csv";
    private final int points;
    private final int samples;
    private final int batch;
    private Tensor w0;
    private double chord = Double.NaN;
    private double[] losses;

    public StraightLine(EndPoint end, int points, int samples, int batch) {
        super(end, FILE, "alpha,loss,accuracy");
        if (points < 2 || samples < 1 || batch < 1) {
            throw new IllegalArgumentException("straight_line: points must be >= 2, samples and batch >= 1");
        }
        this.points = points;
        this.samples = samples;
        this.batch = batch;
    }

    @Override
    public String name() {
        return "straight_line";
    }

    @Override
    public void start(RunContext run) throws IOException {
        train(run);
        super.start(run);
        w0 = scope.copyOf(run.model().parameters());
    }

    @Override
    public void atEnd(LoopResult r) throws IOException {
        if (r.diverged()) {
            return;
        }
        Tensor w = run.model().parameters();
        DType t = w.dtype();
        double sq = 0;
        for (long i = 0, n = w.numel(); i < n; i++) {
            double d = w0.getFlat(i) - wStar.getFlat(i);
            sq += d * d;
        }
        chord = Math.sqrt(sq);
        try (Scope s = Scope.open()) {
            Tensor wT = s.copyOf(w);
            losses = new double[points];
            var seg = w.segment();
            long off = w.offset();
            try {
                for (int k = 0; k < points; k++) {
                    double a = (double) k / (points - 1);
                    for (long i = 0, n = w.numel(); i < n; i++) {
                        t.set(seg, off + i, (1 - a) * w0.getFlat(i) + a * wStar.getFlat(i));
                    }
                    Metrics m = run.objective().evaluate(run.model(), run.train(), samples, run.backend(), run.pool(), batch);
                    losses[k] = m.loss();
                    csv.append(String.format(Locale.ROOT, "%s,%s,%s%n", a, m.loss(), m.accuracy()));
                }
            } finally {
                w.copyFrom(wT);
            }
        }
        super.atEnd(r);
    }

    @Override
    public void summarize(ObjectNode summary) {
        if (losses == null) {
            return;
        }
        ObjectNode o = summary.putObject("straight_line");
        o.put("chord", chord);
        o.put("loss_start", losses[0]);
        o.put("loss_end", losses[losses.length - 1]);
        double maxRise = 0;
        for (int k = 1; k < losses.length; k++) {
            maxRise = Math.max(maxRise, losses[k] - losses[k - 1]);
        }
        o.put("max_rise", maxRise);
        o.put("monotone", maxRise <= 0);
    }

}
