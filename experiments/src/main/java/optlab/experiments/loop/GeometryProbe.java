package optlab.experiments.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import optlab.experiments.run.AtomicFiles;
import optlab.optim.geometry.GeometryStep;
import optlab.optim.geometry.PathDots;
import optlab.optim.geometry.PathGeometry;
import optlab.optim.geometry.RandomBaseline;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The geometry of a run's path against its end point w* (Guille-Escuret et al., "No Wrong Turns", ICML 2024): one
 * row per step t = 0 … T−1 into {@code geometry.csv} with, for δ = w_t − w*, g_t the step's minibatch gradient and
 * u_t = w_{t+1} − w_t the update taken ({@link GeometryStep} has the formulas):
 * <pre>
 * step,dist,grad_norm,inner,rsi,eb,cos,lolr,lr,loss,epoch,update_norm,update_inner,update_cos
 *   [,grad_norm_wd,inner_wd,rsi_wd,eb_wd,cos_wd,lolr_wd]   with weight decay λ &gt; 0: the same for g + λw
 *   [,rand_cos]                                            with random_every &gt; 0: cos(g_t, r), r ~ N(0, I), every k steps
 * </pre>
 * dist = ‖δ‖, grad_norm = ‖g_t‖, inner = ⟨g_t, δ⟩ (update_inner = ⟨u_t, δ⟩). One streaming pass per step
 * after the update, over w_t (copied after backward, since the update overwrites it), g_t, w* and w_{t+1}; with
 * {@code update = false} there is no copy and the update columns are empty (the cheapest mode).
 *
 * <p>At the end it checks that the run ended at w* bit for bit (the re-run retraced the first pass) and throws
 * otherwise, before writing anything, so a geometry.csv is never measured against the wrong end point. In benchmark
 * mode ({@link EndPoint#initial()}: w* = w_0) it skips that check. The summary gets {@code geometry}: the fraction of
 * steps with cos &gt; 0, medians of cos, RSI, EB and loLR over the first 10 %, the middle 10 % and the last 10 % of
 * the steps, the path length Σ‖u_t‖ beside the chord ‖w_0 − w*‖, the dimension d and the chance spread 1/√d.
 */
public final class GeometryProbe implements Probe {
    static final String FILE = "geometry.csv";
    /** The columns every geometry.csv starts with, in order. */
    public static final List<String> COLUMNS = List.of("step", "dist", "grad_norm", "inner", "rsi", "eb", "cos", "lolr", "lr");

    private final EndPoint end;
    private final boolean update;
    private final long randomEvery;
    private final double weightDecayOverride;
    private Scope scope;
    private Tensor wStar, previous;
    /** g_t kept from backward for rules whose oracle writes over the gradient block during the update. */
    private Tensor keptGrads;
    private RunContext run;
    private Path dir;
    private double weightDecay;
    private final StringBuilder csv = new StringBuilder();
    private final List<double[]> series = new ArrayList<>(); // per step: cos, rsi, eb, lolr
    private double pathLength;
    private double chord = Double.NaN;
    private LoopResult result;

    /**
     * @param end         the end point holder
     * @param update      whether to measure the update u_t (copies w_t every step)
     * @param randomEvery steps between random-baseline cosines (0: none)
     * @param weightDecay λ for the g + λw columns; NaN takes the optimizer's {@link optlab.optim.Optimizer#weightDecay()}
     */
    public GeometryProbe(EndPoint end, boolean update, long randomEvery, double weightDecay) {
        if (randomEvery < 0 || !(Double.isNaN(weightDecay) || weightDecay >= 0)) {
            throw new IllegalArgumentException("geometry: random_every must be >= 0 and weight_decay >= 0");
        }
        this.end = end;
        this.update = update;
        this.randomEvery = randomEvery;
        this.weightDecayOverride = weightDecay;
    }

    @Override
    public String name() {
        return "geometry";
    }

    @Override
    public void start(RunContext run) {
        this.run = run;
        dir = run.dir();
        scope = Scope.open();
        Tensor w = run.model().parameters();
        wStar = end.resolve(w, scope);
        previous = update ? scope.emptyLike(w) : null;
        keptGrads = update && run.optimizer().needsOracle() ? scope.emptyLike(w) : null;
        weightDecay = Double.isNaN(weightDecayOverride) ? run.optimizer().weightDecay() : weightDecayOverride;
        csv.append(String.join(",", COLUMNS)).append(",loss,epoch,update_norm,update_inner,update_cos");
        if (weightDecay > 0) {
            csv.append(",grad_norm_wd,inner_wd,rsi_wd,eb_wd,cos_wd,lolr_wd");
        }
        if (randomEvery > 0) {
            csv.append(",rand_cos");
        }
        csv.append('\n');
    }

    @Override
    public void afterBackward(StepView s) {
        if (update) {
            previous.copyFrom(s.params());
            if (keptGrads != null) {
                keptGrads.copyFrom(s.grads());
            }
        } else {
            record(s, PathGeometry.dots(s.backend(), s.params(), s.grads(), wStar, null));
        }
    }

    @Override
    public void afterUpdate(StepView s) {
        if (update) {
            record(s, PathGeometry.dots(s.backend(), previous, stepGrads(s), wStar, s.params()));
        }
    }

    /** g_t, also after an update whose oracle wrote over the gradient block. */
    private Tensor stepGrads(StepView s) {
        return keptGrads != null ? keptGrads : s.grads();
    }

    private void record(StepView s, PathDots d) {
        GeometryStep g = d.step();
        if (s.step() == 0) {
            chord = g.distance();
        }
        csv.append(s.step());
        GeometryCsv.cells(csv, g.distance(), g.gradNorm(), d.gDelta(), g.rsi(), g.eb(), g.cos(), g.loLR(), s.lr(), s.loss());
        csv.append(',').append(s.epoch());
        if (d.hasUpdate()) {
            GeometryCsv.cells(csv, g.updateNorm(), g.updateDot(), g.updateCos());
            pathLength += g.updateNorm();
        } else {
            csv.append(",,,");
        }
        if (weightDecay > 0) {
            GeometryStep w = d.step(weightDecay);
            GeometryCsv.cells(csv, w.gradNorm(), d.gDelta() + weightDecay * d.wDelta(), w.rsi(), w.eb(), w.cos(), w.loLR());
        }
        if (randomEvery > 0) {
            csv.append(',');
            if (s.step() % randomEvery == 0) {
                csv.append(RandomBaseline.cosine(stepGrads(s), run.seed() * 1_000_003L + s.step()));
            }
        }
        csv.append('\n');
        series.add(new double[] {g.cos(), g.rsi(), g.eb(), g.loLR()});
    }

    @Override
    public void atEnd(LoopResult r) throws IOException {
        result = r;
        if (!end.isInitial()) {
            checkRetraced(r);
        }
        if (dir != null) {
            AtomicFiles.write(dir.resolve(FILE), csv.toString());
        }
    }

    /** The second pass must end where the first did, bit for bit: else every row was measured against a wrong w*. */
    private void checkRetraced(LoopResult r) {
        if (r.diverged() || r.stepsDone() != run.totalSteps()) {
            throw new IllegalStateException("geometry: the re-run did not retrace the first pass: it stopped after "
                    + r.stepsDone() + " of " + run.totalSteps() + " steps" + (r.diverged() ? " (" + r.divergedBecause()
                    + ")" : "") + " although the first pass completed; geometry.csv not written");
        }
        Tensor w = run.model().parameters();
        long bytes = w.numel() * w.dtype().byteSize();
        MemorySegment a = w.segment().asSlice(w.offset() * w.dtype().byteSize(), bytes);
        MemorySegment b = wStar.segment().asSlice(wStar.offset() * wStar.dtype().byteSize(), bytes);
        long at = a.mismatch(b);
        if (at >= 0) {
            long i = at / w.dtype().byteSize();
            throw new IllegalStateException(String.format(Locale.ROOT, "geometry: the re-run did not retrace the first"
                    + " pass: its final weights differ from w* (first at parameter element %d: %s vs %s); something in"
                    + " the run is not deterministic (a probe changing the model, threads, data order); geometry.csv"
                    + " not written", i, w.getFlat(i), wStar.getFlat(i)));
        }
    }

    /** The rows so far as (cos, rsi, eb, lolr) per step. */
    public List<double[]> series() {
        return List.copyOf(series);
    }

    @Override
    public void summarize(ObjectNode summary) {
        ObjectNode o = summary.putObject("geometry");
        o.put("end_point", end.isInitial() ? "initial (benchmark mode)" : "final");
        o.put("steps", series.size());
        long d = wStar == null ? 0 : wStar.numel();
        o.put("dimension", d);
        o.put("random_spread", d > 0 ? RandomBaseline.spread(d) : Double.NaN);
        o.put("weight_decay", weightDecay);
        double[] cos = column(0);
        o.put("frac_cos_positive", SeriesStats.fractionPositive(cos));
        o.put("median_cos", SeriesStats.median(cos));
        String[] names = {"cos", "rsi", "eb", "lolr"};
        for (int k = 0; k < names.length; k++) {
            ObjectNode w = o.putObject(names[k]);
            double[] x = column(k);
            w.put("first_10pct", SeriesStats.median(SeriesStats.window(x, 0, 0.1)));
            w.put("middle_10pct", SeriesStats.median(SeriesStats.window(x, 0.45, 0.55)));
            w.put("last_10pct", SeriesStats.median(SeriesStats.window(x, 0.9, 1)));
        }
        if (update) {
            o.put("path_length", pathLength);
            o.put("chord", chord);
            o.put("path_over_chord", pathLength / chord);
        }
    }

    private double[] column(int k) {
        double[] x = new double[series.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = series.get(i)[k];
        }
        return x;
    }

    @Override
    public void close() {
        if (scope != null) {
            scope.close();
            scope = null;
        }
    }

    @Override
    public String toString() {
        return "geometry(update=" + update + ", random_every=" + randomEvery + ")";
    }
}
