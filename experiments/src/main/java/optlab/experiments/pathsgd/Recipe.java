package optlab.experiments.pathsgd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import optlab.experiments.data.Dataset;
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
 * The reproduction of Path-SGD's comparison (Neyshabur, Salakhutdinov, Srebro, NIPS 2015): a 784-H-H-10 ReLU MLP
 * trained with Path-SGD, SGD and AdaGrad under balanced and unbalanced init, each method's step size chosen from
 * its grid by validation error ({@link StepSelection}), then the chosen runs' curves.
 *
 * <p>Output folder: {@code recipe.json} (the settings), {@code runs/METHOD-INIT-aALPHA/} (one ordinary run folder
 * per grid point: steps.csv, evals.csv with validation error and path norm, summary.json, log.txt),
 * {@code figure.png}/{@code .svg} (rows balanced/unbalanced, columns training loss / test error, the three
 * methods overlaid), {@code summary.txt} and {@code summary.json} (chosen steps, every grid point's validation
 * error, who reached what by which epoch). The grid runs in parallel and resumes: rerunning the same command
 * skips finished runs, reruns the rest and redraws the figure.
 */
public final class Recipe {
    /** One grid point. */
    public record GridRun(Method method, InitKind init, int alpha, RunConfig config) {
        public String id() {
            return method.key() + "-" + init.key() + "-a" + alpha;
        }
    }

    /** The chosen run of one (method, init), or none when every grid point diverged or failed. */
    public record Choice(Method method, InitKind init, List<StepSelection.Candidate> candidates,
            Optional<StepSelection.Candidate> chosen, Curves curves) {
    }

    /** What a recipe run produced. */
    public record Result(SweepReport sweep, List<Choice> choices, List<Path> files) {
    }

    private Recipe() {
    }

    /** The run configs of the grid, for data whose samples have {@code inputs} features and {@code classes} classes. */
    public static List<GridRun> grid(Settings s, long inputs, int classes) {
        String model = "mlp:" + inputs + "-" + s.hidden() + "-" + s.hidden() + "-" + classes
                + (s.dropout() > 0 ? ",dropout=" + s.dropout() : "");
        List<GridRun> runs = new ArrayList<>();
        for (InitKind init : s.inits()) {
            for (Method m : s.methods()) {
                for (int alpha : s.alphas().get(m)) {
                    String id = m.key() + "-" + init.key() + "-a" + alpha;
                    ObjectNode c = RunConfig.readTree("{}");
                    c.put("name", id);
                    c.put("model", model);
                    ObjectNode i = c.putObject("init");
                    i.put("scheme", "gaussian");
                    if (init == InitKind.UNBALANCED) {
                        ObjectNode u = i.putObject("unbalanced");
                        u.put("units", s.unbalancing().units());
                        u.put("sigma", s.unbalancing().sigma());
                    }
                    c.set("data", heldOut(s.data(), s.validation()));
                    c.put("batch_size", s.batch());
                    c.put("optimizer", m.optimizer(Settings.lr(alpha)));
                    c.put("epochs", s.epochs());
                    ObjectNode e = c.putObject("eval");
                    e.put("train_samples", s.evalTrainSamples());
                    e.put("batch_size", 500);
                    c.put("seed", s.seed());
                    c.put("threads", 1);
                    c.put("out", s.out().resolve("runs").resolve(id).toString());
                    runs.add(new GridRun(m, init, alpha, RunConfig.parse(c)));
                }
            }
        }
        return runs;
    }

    private static JsonNode heldOut(JsonNode data, int validation) {
        ObjectNode o;
        if (data.isObject()) {
            o = ((ObjectNode) data).deepCopy();
        } else {
            o = RunConfig.readTree("{}");
            o.set("source", data);
        }
        o.put("validation", validation);
        return o;
    }

    /** Runs the grid (resuming), chooses the steps, draws the figure and writes the summaries. */
    public static Result run(Settings s, PrintStream log) throws IOException {
        return run(s, new LocalSweep(s.workers(), log), log);
    }

    /** As {@link #run(Settings, PrintStream)}, the runs on {@code executor} (s.workers() is then unused). */
    public static Result run(Settings s, Executor executor, PrintStream log) throws IOException {
        long inputs;
        int classes;
        try (Scope scope = Scope.open()) {
            // Loading the data once up front gives the input size and classes and fails early on a bad path.
            DataSpec.Loaded probe = DataSpec.parse(s.data(), "data").load(DType.F32, scope);
            Dataset train = probe.train();
            if (!train.isClassification()) {
                throw new IllegalArgumentException("path-sgd: " + train.name() + " is not a classification dataset");
            }
            if (s.validation() >= train.size()) {
                throw new IllegalArgumentException("path-sgd: --validation " + s.validation() + " leaves nothing to train on in "
                        + train.name() + " (" + train.size() + " training samples)");
            }
            inputs = train.sampleNumel();
            classes = train.numClasses();
        }
        List<GridRun> grid = grid(s, inputs, classes);
        FinishedRuns.check("path-sgd", grid.stream().map(GridRun::config).toList());
        AtomicFiles.write(s.out().resolve("recipe.json"), s.toJson().toPrettyString() + "\n");
        log.printf("path-sgd (%s): mlp %d-%d-%d-%d, %d epoch%s, batch %d%s; %d runs into %s%n", s.preset(), inputs,
                s.hidden(), s.hidden(), classes, s.epochs(), s.epochs() == 1 ? "" : "s", s.batch(),
                s.dropout() > 0 ? ", dropout " + s.dropout() : "", grid.size(), s.out());
        List<TrainJob> jobs = grid.stream().map(g -> new TrainJob(g.id(), g.config())).toList();
        SweepReport report = executor.runAll(jobs);

        List<Choice> choices = choose(s, grid);
        List<Path> files = new ArrayList<>();
        try {
            files.addAll(Figure.write(s, choices, s.out().resolve("figure"), EnumSet.allOf(FigureFormat.class)));
        } catch (RuntimeException e) {
            log.println("path-sgd: could not draw the figure (the summaries follow): " + e.getMessage());
        }
        files.addAll(Report.write(s, choices, report, s.out()));
        return new Result(report, choices, files);
    }

    /** For each (init, method): its grid points' outcomes, the chosen one and its curves. */
    static List<Choice> choose(Settings s, List<GridRun> grid) {
        List<Choice> out = new ArrayList<>();
        for (InitKind init : s.inits()) {
            for (Method m : s.methods()) {
                List<StepSelection.Candidate> cs = new ArrayList<>();
                for (GridRun g : grid) {
                    if (g.method() == m && g.init() == init) {
                        Path folder = g.config().out();
                        String status = SweepFolders.status(folder);
                        double valError = Double.NaN;
                        if (SweepFolders.COMPLETED.equals(status)) {
                            valError = Curves.last(Curves.read(folder).validationError());
                        }
                        cs.add(new StepSelection.Candidate(g.alpha(), g.config().optimizer().lr(), status, valError));
                    }
                }
                Optional<StepSelection.Candidate> chosen = StepSelection.choose(cs);
                Curves curves = chosen.map(c -> Curves.read(folder(grid, m, init, c.alpha()))).orElse(null);
                out.add(new Choice(m, init, cs, chosen, curves));
            }
        }
        return out;
    }

    private static Path folder(List<GridRun> grid, Method m, InitKind init, int alpha) {
        return grid.stream().filter(g -> g.method() == m && g.init() == init && g.alpha() == alpha).findFirst()
                .orElseThrow().config().out();
    }
}
