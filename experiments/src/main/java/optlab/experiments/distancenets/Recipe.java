package optlab.experiments.distancenets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import optlab.experiments.data.Dataset;
import optlab.experiments.pathsgd.Curves;
import optlab.experiments.pathsgd.StepSelection;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.DataSpec;
import optlab.experiments.run.RunConfig;
import optlab.experiments.sweep.FinishedRuns;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.LocalSweep;
import optlab.experiments.sweep.SweepFolders;
import optlab.experiments.sweep.SweepReport;
import optlab.experiments.sweep.TrainJob;
import optlab.tensor.DType;
import optlab.tensor.Scope;

/**
 * The reproduction of Kurbiel and Khaleghian (arXiv 1708.01911): for each architecture ({@link Arch}), depth and
 * method ({@link Method}), one run per step size of the method's grid; the step chosen by validation error
 * ({@link StepSelection}: lowest error after the last epoch among completed runs, ties to the larger step); every
 * run records per-tensor gradient norms at initialization and after each epoch ({@code grad_norms} probe).
 *
 * <p>Output folder: {@code recipe.json}, {@code runs/ARCH-dDEPTH-METHOD-lrLR/} (ordinary run folders with
 * grad_norms.csv), {@code curves.png}/{@code .svg} (the distance net: a row per depth, training loss and test error
 * per method), {@code archs.png} (every architecture with its best method, per depth), {@code gradients.png}
 * (per-layer gradient norms at init and after the first epoch), {@code summary.txt} (the table of final test error,
 * depth × method, per architecture) and {@code summary.json}. Parallel and resumable as every recipe.
 */
public final class Recipe {
    /** One grid point; {@code index} is the step's position in the method's grid. */
    public record GridRun(Arch arch, int depth, Method method, int index, RunConfig config) {
        public String id() {
            return id(arch, depth, method, config.optimizer().lr());
        }

        static String id(Arch arch, int depth, Method method, double lr) {
            return arch.key() + "-d" + depth + "-" + method.key() + "-lr" + lrKey(lr);
        }
    }

    /** The chosen run of one (architecture, depth, method), or none when every step diverged or failed. */
    public record Choice(Arch arch, int depth, Method method, List<StepSelection.Candidate> candidates,
            Optional<StepSelection.Candidate> chosen, Curves curves, Path folder) {
        /** Test error after the last epoch (NaN when none was chosen). */
        public double finalTestError() {
            return curves == null ? Double.NaN : last(curves.testError());
        }

        public double finalValidationError() {
            return curves == null ? Double.NaN : last(curves.validationError());
        }
    }

    /** What a recipe run produced. */
    public record Result(SweepReport sweep, List<Choice> choices, List<Path> files) {
    }

    private Recipe() {
    }

    /** "1e-2", "3e-3", "1": a step as folder names and tables show it. */
    static String lrKey(double lr) {
        String s = String.format(Locale.ROOT, "%.0e", lr).replace("e+00", "").replace("e-0", "e-").replace("e+0", "e");
        return Double.parseDouble(s) == lr ? s : Double.toString(lr);
    }

    /**
     * The run configs of the grid, for data whose samples have {@code inputs} features and {@code classes} classes
     * and whose training part (after the validation split) has {@code trainSize} samples.
     */
    public static List<GridRun> grid(Settings s, long inputs, int classes, int trainSize) {
        int perEpoch = (trainSize + s.batch() - 1) / s.batch();
        List<GridRun> runs = new ArrayList<>();
        for (Arch arch : s.archs()) {
            for (int depth : s.depths()) {
                for (Method m : s.methods()) {
                    List<Double> lrs = s.lrs().get(m);
                    for (int i = 0; i < lrs.size(); i++) {
                        String id = GridRun.id(arch, depth, m, lrs.get(i));
                        ObjectNode c = RunConfig.readTree("{}");
                        c.put("name", id);
                        c.put("model", arch.model(inputs, s.width(), depth, classes));
                        c.set("data", data(s));
                        c.put("batch_size", s.batch());
                        c.put("optimizer", m.optimizer(lrs.get(i), s.batch()));
                        if (m.compoundInverse()) {
                            ObjectNode sch = c.putObject("schedule");
                            sch.put("name", "compound_inverse");
                            sch.put("steps_per_epoch", perEpoch);
                        }
                        c.put("epochs", s.epochs());
                        ObjectNode e = c.putObject("eval");
                        e.put("train_samples", s.evalTrainSamples());
                        e.put("batch_size", 500);
                        // Gradient norms at init (step 0) and at the start of every later epoch.
                        ObjectNode p = c.putArray("probes").addObject();
                        p.put("name", "grad_norms");
                        p.put("every", perEpoch);
                        c.put("seed", s.seed());
                        c.put("threads", 1);
                        c.put("out", s.out().resolve("runs").resolve(id).toString());
                        runs.add(new GridRun(arch, depth, m, i, RunConfig.parse(c)));
                    }
                }
            }
        }
        return runs;
    }

    /**
     * The runs' "data": the source, its first {@code trainSamples} training samples (named sources only) and the
     * validation split; a synthetic source given as an object keeps its own fields.
     */
    static ObjectNode data(Settings s) {
        ObjectNode d;
        if (s.data().isObject()) {
            d = ((ObjectNode) s.data()).deepCopy();
        } else {
            d = RunConfig.readTree("{}");
            d.set("source", s.data());
        }
        if (s.trainSamples() > 0) {
            if (s.data().isObject()) {
                throw new IllegalArgumentException("distance-nets: a training subset applies to named sources, not to "
                        + s.data());
            }
            d.put("train", s.trainSamples());
        }
        d.put("validation", s.validation());
        return d;
    }

    /** Runs the grid (resuming), chooses the steps, draws the figures and writes the summaries. */
    public static Result run(Settings s, PrintStream log) throws IOException {
        return run(s, new LocalSweep(s.workers(), log), log);
    }

    /** As {@link #run(Settings, PrintStream)}, the runs on {@code executor} (s.workers() is then unused). */
    public static Result run(Settings s, Executor executor, PrintStream log) throws IOException {
        long inputs;
        int classes;
        int trainSize;
        try (Scope scope = Scope.open()) {
            // Loading the data once gives the input size, classes and epoch length, and fails early on a bad path.
            Dataset train = DataSpec.parse(data(s), "data").load(DType.F32, scope).train();
            if (!train.isClassification()) {
                throw new IllegalArgumentException("distance-nets: " + train.name() + " is not a classification dataset");
            }
            inputs = train.sampleNumel();
            classes = train.numClasses();
            trainSize = train.size();
        }
        List<GridRun> grid = grid(s, inputs, classes, trainSize);
        FinishedRuns.check("distance-nets", grid.stream().map(GridRun::config).toList());
        AtomicFiles.write(s.out().resolve("recipe.json"), s.toJson().toPrettyString() + "\n");
        log.printf("distance-nets (%s): width %d, depths %s, %s; %d training samples, %d epoch%s, batch %d; %d runs into %s%n",
                s.preset(), s.width(), s.depths(), s.archs().stream().map(Arch::key).toList(), trainSize, s.epochs(),
                s.epochs() == 1 ? "" : "s", s.batch(), grid.size(), s.out());
        List<TrainJob> jobs = grid.stream().map(g -> new TrainJob(g.id(), g.config())).toList();
        SweepReport report = executor.runAll(jobs);

        List<Choice> choices = choose(s, grid);
        List<Path> files = new ArrayList<>();
        try {
            files.addAll(Figures.write(s, choices, s.out(), EnumSet.allOf(FigureFormat.class)));
        } catch (RuntimeException e) {
            log.println("distance-nets: could not draw the figures (the summaries follow): " + e.getMessage());
        }
        files.addAll(Report.write(s, choices, report, s.out()));
        return new Result(report, choices, files);
    }

    /** For each (architecture, depth, method): its grid points' outcomes, the chosen one and its curves. */
    static List<Choice> choose(Settings s, List<GridRun> grid) {
        List<Choice> out = new ArrayList<>();
        for (Arch arch : s.archs()) {
            for (int depth : s.depths()) {
                for (Method m : s.methods()) {
                    List<GridRun> points = grid.stream()
                            .filter(g -> g.arch() == arch && g.depth() == depth && g.method() == m).toList();
                    List<StepSelection.Candidate> cs = new ArrayList<>();
                    for (GridRun g : points) {
                        Path folder = g.config().out();
                        String status = SweepFolders.status(folder);
                        double valError = SweepFolders.COMPLETED.equals(status)
                                ? last(Curves.read(folder).validationError()) : Double.NaN;
                        cs.add(new StepSelection.Candidate(g.index(), g.config().optimizer().lr(), status, valError));
                    }
                    Optional<StepSelection.Candidate> chosen = StepSelection.choose(cs);
                    Path folder = chosen.map(c -> points.get(c.alpha()).config().out()).orElse(null);
                    out.add(new Choice(arch, depth, m, cs, chosen, folder == null ? null : Curves.read(folder), folder));
                }
            }
        }
        return out;
    }

    static double last(double[] v) {
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }
}
