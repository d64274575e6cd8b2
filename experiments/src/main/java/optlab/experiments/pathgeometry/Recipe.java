package optlab.experiments.pathgeometry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import optlab.experiments.data.Dataset;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.DataSpec;
import optlab.experiments.run.RunConfig;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.LocalSweep;
import optlab.experiments.sweep.SweepReport;
import optlab.experiments.sweep.TrainJob;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
import optlab.tensor.DType;
import optlab.tensor.Scope;

/**
 * The reproduction of "No Wrong Turns" (Guille-Escuret et al., ICML 2024): every {@link Variant} of the preset is a
 * geometry run ({@code "geometry"}: trained to its end point w*, then retraced bit for bit while each step's RSI, EB,
 * cos and loLR against w* are recorded), with fixed-batch, per-tensor and straight-line probes beside it.
 *
 * <p>Output folder: {@code recipe.json} (the settings), {@code runs/ID/} (one ordinary run folder per variant:
 * geometry.csv, geometry_fixed.csv, geometry_layers.csv, straight_line.csv, steps.csv, evals.csv, summary.json,
 * log.txt), the figures ({@link Figures}) and {@code summary.json} / {@code summary.txt} ({@link Report}). The runs go
 * through {@link LocalSweep}: in parallel, one thread each, and resumable (finished folders are kept).
 */
public final class Recipe {
    /** One run of the study with its config. */
    public record GridRun(Variant variant, RunConfig config) {
        public String id() {
            return variant.id();
        }
    }

    /** What a recipe run produced. */
    public record Result(SweepReport sweep, List<Path> files) {
    }

    private Recipe() {
    }

    /** The runs of {@code s} for data of sample shape {@code shape} and {@code classes} classes. */
    public static List<GridRun> grid(Settings s, int[] shape, int classes) {
        long inputs = 1;
        for (int d : shape) {
            inputs *= d;
        }
        int channels = shape.length == 3 ? shape[0] : 1;
        String resnet = "resnet:blocks=" + s.blocks() + ",width=" + s.width() + ",classes=" + classes + ",in=" + channels;
        int hidden = hiddenFor(parameters(resnet), inputs, classes);
        long in = inputs;
        java.util.function.IntFunction<String> mlpOf = h -> "mlp:" + in + "-" + h + "-" + h + "-" + classes;
        String mup = mlpOf.apply(s.mupWidth());
        List<Variant> variants = Preset.variants(s, resnet, resnet + ",bn=false", resnet + ",skip=false", mlpOf.apply(hidden),
                mlpOf, hidden, mup);
        List<GridRun> runs = new ArrayList<>();
        for (Variant v : variants) {
            runs.add(new GridRun(v, config(s, v)));
        }
        return runs;
    }

    static RunConfig config(Settings s, Variant v) {
        ObjectNode c = RunConfig.readTree("{}");
        c.put("name", v.id());
        c.put("model", v.model());
        c.put("parameterization", v.parameterization());
        c.put("dtype", "auto");
        c.set("data", s.data());
        c.put("batch_size", v.batch());
        c.put("optimizer", v.optimizerSpec());
        ObjectNode e = c.putObject("eval");
        if (s.steps() > 0) {
            c.put("steps", s.steps());
            e.put("every_steps", s.steps()); // the end only: the geometry is the measurement here
        } else {
            c.put("epochs", s.epochs());
        }
        e.put("at_start", false);
        e.put("train_samples", 2000);
        e.put("batch_size", 500);
        c.put("seed", v.seed());
        c.put("threads", 1);
        c.put("out", s.out().resolve("runs").resolve(v.id()).toString());
        c.putObject("geometry").put("random_every", 10);
        var probes = c.putArray("probes");
        probes.add("geometry_fixed:every=" + s.fixedEvery());
        probes.add("geometry_layers:every=" + s.fixedEvery());
        probes.add("straight_line:samples=" + s.lineSamples());
        if (s.fullBatch()) {
            probes.add("geometry_full");
        }
        return RunConfig.parse(c);
    }

    /** The parameter count of a standard-parameterized zoo model. */
    static long parameters(String spec) {
        try (Model m = Parameterization.STANDARD.build(spec, DType.F32, InitScheme.PYTORCH, 0)) {
            return m.numParameters();
        }
    }

    /** The hidden width H of an in-H-H-classes MLP whose parameter count is nearest {@code target}. */
    static int hiddenFor(long target, long inputs, int classes) {
        int best = 1;
        long bestGap = Long.MAX_VALUE;
        for (int h = 1; h <= 1 << 16; h++) {
            long p = inputs * h + h + (long) h * h + h + (long) h * classes + classes;
            long gap = Math.abs(p - target);
            if (gap < bestGap) {
                best = h;
                bestGap = gap;
            }
            if (p > target) {
                break;
            }
        }
        return best;
    }

    /** Runs the study (resuming), then writes figures and summaries. */
    public static Result run(Settings s, PrintStream log) throws IOException {
        return run(s, new LocalSweep(s.workers(), log), log);
    }

    /** As {@link #run(Settings, PrintStream)}, the runs on {@code executor} (s.workers() is then unused). */
    public static Result run(Settings s, Executor executor, PrintStream log) throws IOException {
        int[] shape;
        int classes;
        try (Scope scope = Scope.open()) {
            Dataset train = DataSpec.parse(s.data(), "data").load(DType.F32, scope).train();
            if (!train.isClassification()) {
                throw new IllegalArgumentException("path-geometry: " + train.name() + " is not a classification dataset");
            }
            shape = train.sampleShape();
            classes = train.numClasses();
        }
        List<GridRun> grid = grid(s, shape, classes);
        AtomicFiles.write(s.out().resolve("recipe.json"), s.toJson().toPrettyString() + "\n");
        log.printf(Locale.ROOT, "path-geometry (%s): %d runs (%s), each trained twice (end point, then the recorded"
                + " retrace); into %s%n", s.preset(), grid.size(), s.steps() > 0 ? s.steps() + " steps"
                : s.epochs() + " epochs", s.out());
        List<TrainJob> jobs = grid.stream().map(g -> new TrainJob(g.id(), g.config())).toList();
        SweepReport report = executor.runAll(jobs);
        List<Report.Row> rows = Report.rows(grid);
        List<Path> files = new ArrayList<>();
        try {
            files.addAll(Figures.write(s, rows, s.out(), EnumSet.allOf(FigureFormat.class)));
        } catch (RuntimeException e) {
            log.println("path-geometry: could not draw the figures (the summaries follow): " + e.getMessage());
        }
        files.addAll(Report.write(s, rows, report, s.out()));
        return new Result(report, files);
    }
}
