package optlab.experiments.integrators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import optlab.experiments.data.Dataset;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.DataSpec;
import optlab.experiments.run.RunConfig;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.LocalSweep;
import optlab.experiments.sweep.SweepFolders;
import optlab.experiments.sweep.SweepReport;
import optlab.experiments.sweep.TrainJob;
import optlab.tensor.DType;
import optlab.tensor.Scope;

/**
 * Gradient descent as a numerical integrator (Ma et al., arXiv 2409.04707): SGD's update is forward Euler on the
 * gradient flow dw/dt = −∇L(w); higher-order rules (heun, midpoint, ralston, rk4, ab2, ab3, adaptive rk23) cut the
 * truncation error at more gradient evaluations a step. Every rule trains the same models at the same lrs and seeds;
 * the {@link Analysis} compares them at equal epochs and at equal gradient evaluations, with their seed spread,
 * cost, and the largest lr each survives on a ladder.
 *
 * <p>Output folder: {@code recipe.json}; {@code runs/MODEL-RULE-lrLR-sSEED/} and {@code ladder/MODEL-RULE-lrLR/}
 * (ordinary run folders); {@code figure.png}/{@code .svg} (a row per model: training loss against epochs and against
 * gradient evaluations, test accuracy against gradient evaluations; mean over seeds with a min–max band);
 * {@code modified_flow.png}/{@code .svg} ({@link ModifiedFlow}); {@code summary.txt} and {@code summary.json}
 * ({@link Report}). Parallel and resumable: the same command again skips finished runs and redraws.
 */
public final class Recipe {
    /** One training run of the grid (seed ≥ 0) or of the stability ladder. */
    public record GridRun(int model, String rule, double lr, int seed, boolean ladder, RunConfig config) {
        public String id() {
            return config.name();
        }
    }

    /** What a recipe run produced. */
    public record Result(SweepReport sweep, Analysis analysis, List<Path> files) {
    }

    private Recipe() {
    }

    /** The data node every run gets: a named source cut to the preset's subset; an object as given. */
    static JsonNode data(Settings s) {
        if (!s.data().isTextual() || (s.trainSamples() == 0 && s.testSamples() == 0)) {
            return s.data();
        }
        ObjectNode o = RunConfig.readTree("{}");
        o.set("source", s.data());
        if (s.trainSamples() > 0) {
            o.put("train", s.trainSamples());
        }
        if (s.testSamples() > 0) {
            o.put("test", s.testSamples());
        }
        return o;
    }

    /** The grid's and the ladder's run configs, for {@code trainSize} training samples. */
    public static List<GridRun> grid(Settings s, int trainSize) {
        int perEpoch = Math.max(1, (trainSize + s.batch() - 1) / s.batch());
        long every = Math.max(1, perEpoch / s.evalsPerEpoch());
        JsonNode data = data(s);
        List<GridRun> runs = new ArrayList<>();
        for (int m = 0; m < s.models().size(); m++) {
            for (String rule : s.rules()) {
                for (double lr : s.lrs()) {
                    for (int seed = 0; seed < s.seeds(); seed++) {
                        String id = s.modelKey(m) + "-" + rule + "-lr" + Settings.lrText(lr) + "-s" + seed;
                        ObjectNode c = config(s, m, rule, lr, s.seed() + seed, data, id, s.out().resolve("runs"));
                        c.put("epochs", s.epochs());
                        ObjectNode e = c.putObject("eval");
                        e.put("every_steps", every);
                        e.put("train_samples", s.evalTrainSamples());
                        e.put("batch_size", 500);
                        runs.add(new GridRun(m, rule, lr, seed, false, RunConfig.parse(c)));
                    }
                }
            }
        }
        for (int m : s.ladderModels()) {
            for (String rule : s.rules()) {
                for (double lr : s.ladder()) {
                    String id = s.modelKey(m) + "-" + rule + "-lr" + Settings.lrText(lr);
                    ObjectNode c = config(s, m, rule, lr, s.seed(), data, id, s.out().resolve("ladder"));
                    c.put("steps", s.ladderSteps());
                    ObjectNode e = c.putObject("eval");
                    e.put("every_steps", s.ladderSteps());
                    e.put("at_start", false);
                    e.put("train_samples", 0);
                    e.put("batch_size", 500);
                    runs.add(new GridRun(m, rule, lr, 0, true, RunConfig.parse(c)));
                }
            }
        }
        return runs;
    }

    private static ObjectNode config(Settings s, int model, String rule, double lr, long seed, JsonNode data, String id,
                                     Path parent) {
        ObjectNode c = RunConfig.readTree("{}");
        c.put("name", id);
        c.put("model", s.models().get(model));
        c.set("data", data);
        c.put("batch_size", s.batch());
        c.put("optimizer", Settings.optimizer(rule, lr));
        c.put("seed", seed);
        c.put("threads", 1);
        c.put("out", parent.resolve(id).toString());
        return c;
    }

    /** Runs the grid and the ladder (resuming), then analyses, draws and writes the summaries. */
    public static Result run(Settings s, PrintStream log) throws IOException {
        return run(s, new LocalSweep(s.workers(), log), log);
    }

    /** As {@link #run(Settings, PrintStream)}, the runs on {@code executor} (s.workers() is then unused). */
    public static Result run(Settings s, Executor executor, PrintStream log) throws IOException {
        int trainSize;
        try (Scope scope = Scope.open()) {
            // Loading once up front gives the training set's size and fails early on a bad path.
            DataSpec.Loaded probe = RunConfig.parse(probeConfig(s)).data().load(DType.F32, scope);
            Dataset train = probe.train();
            if (!train.isClassification()) {
                throw new IllegalArgumentException("integrators: " + train.name() + " is not a classification dataset");
            }
            trainSize = train.size();
        }
        List<GridRun> grid = grid(s, trainSize);
        checkFoldersMatch(grid);
        AtomicFiles.write(s.out().resolve("recipe.json"), s.toJson().toPrettyString() + "\n");
        long main = grid.stream().filter(g -> !g.ladder()).count();
        log.printf("integrators (%s): %d models x %d rules x %d lrs x %d seeds, %d epoch%s of %d samples, batch %d; "
                        + "%d ladder runs; into %s%n", s.preset(), s.models().size(), s.rules().size(), s.lrs().size(),
                s.seeds(), s.epochs(), s.epochs() == 1 ? "" : "s", trainSize, s.batch(), grid.size() - main, s.out());
        List<TrainJob> jobs = grid.stream().map(g -> new TrainJob(g.id() + (g.ladder() ? "-ladder" : ""), g.config()))
                .toList();
        SweepReport report = executor.runAll(jobs);

        Analysis analysis = Analysis.of(s, grid);
        List<Path> files = new ArrayList<>();
        ModifiedFlow.Result flow = ModifiedFlow.measure(ModifiedFlow.DEFAULT);
        try {
            files.addAll(Figures.curves(s, analysis, s.out().resolve("figure"), EnumSet.allOf(FigureFormat.class)));
            files.addAll(Figures.modifiedFlow(flow, s.out().resolve("modified_flow"), EnumSet.allOf(FigureFormat.class)));
        } catch (RuntimeException e) {
            log.println("integrators: could not draw the figures (the summaries follow): " + e.getMessage());
        }
        files.addAll(Report.write(s, analysis, flow, report, s.out()));
        return new Result(report, analysis, files);
    }

    /** A config that only serves to load the data as the runs will. */
    private static ObjectNode probeConfig(Settings s) {
        ObjectNode c = RunConfig.readTree("{}");
        c.put("model", s.models().get(0));
        c.set("data", data(s));
        c.put("optimizer", "sgd:lr=0.1");
        c.put("steps", 1);
        return c;
    }

    /** A finished folder must hold the run this grid point describes, not one of other settings. */
    private static void checkFoldersMatch(List<GridRun> grid) {
        for (GridRun g : grid) {
            Path folder = g.config().out();
            if (!SweepFolders.done(folder)) {
                continue;
            }
            ObjectNode now = g.config().toJson();
            JsonNode was = SweepFolders.summary(folder).path("config");
            ObjectNode before;
            try {
                before = RunConfig.parse(was).toJson();
            } catch (IllegalArgumentException e) {
                before = null;
            }
            if (before != null) {
                before.remove("out");
                now.remove("out");
            }
            if (before == null || !before.equals(now)) {
                throw new IllegalArgumentException("integrators: " + folder + " holds a finished run of other settings "
                        + "than this command's; use another --out, or delete that folder");
            }
        }
    }
}
