package optlab.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import optlab.experiments.run.RunConfig;
import optlab.experiments.run.RunFolder;
import optlab.experiments.sweep.Grid;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.OnBackend;
import optlab.experiments.sweep.SweepDeferred;
import optlab.experiments.sweep.SweepFolders;
import optlab.experiments.sweep.SweepReport;
import optlab.experiments.sweep.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code optlab sweep grid CONFIG --vary FIELD=VALUES ...}: a grid over any train config (see {@link Grid}). */
@Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains every point of a grid over a train config: the product of the --vary axes, one run per "
                + "point in DIR/runs/ID, in parallel (one thread each), resumable (finished runs are skipped).",
                "Writes DIR/summary.json: each point's values, status and final metrics.",
                "Exit status: 0 all runs finished, 1 some failed, 2 bad options or config."},
        footer = {"", "Examples:",
                "  optlab sweep grid experiments/configs/fashion-mlp.json --vary 'optimizer=[\"sgd:lr=0.1\",\"adam:lr=1e-3\"]' \\",
                "      --vary seed=0,1,2 --vary steps=200 --out runs/grid"})
public final class GridCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "A train config (JSON), as for 'optlab train'.")
    Path config;

    @Option(names = "--vary", paramLabel = "FIELD=VALUES", required = true,
            description = "An axis: a dotted config field and a JSON array or comma list of values (repeatable).")
    List<String> vary;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/grid); an existing one is resumed.")
    Path out = Path.of("runs", "grid");

    @Option(names = "--workers", paramLabel = "N", description = "Runs in parallel, one thread each (default: the cores).")
    Integer workers;

    @Option(names = "--backend", paramLabel = "cpu|cuda", description = "Kernels of every run (default: the config's, else"
            + " cpu); cuda runs one worker unless --workers says otherwise.")
    String backend;

    @Mixin
    ExecutorOptions executor = new ExecutorOptions();

    @Override
    public Integer call() throws IOException {
        ObjectNode base = RunConfig.readTree(config);
        base.put("threads", 1);
        if (backend != null) {
            base.put("backend", backend);
        }
        List<Grid.Point> points = Grid.points(base, vary.stream().map(Grid::axis).toList(), out);
        String on = base.path("backend").asText("cpu"); // checked with each point's config
        int w = workers != null ? workers : on.equals("cuda") ? 1 : Runtime.getRuntime().availableProcessors();
        if (w < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + w);
        }
        Executor ex = OnBackend.wrap(executor.create(workers, w, out, System.out), on);
        SweepReport report;
        try {
            report = ex.runAll(points.stream().map(p -> new TrainJob(p.id(), p.config())).toList());
        } catch (SweepDeferred d) {
            System.out.println("optlab sweep grid: " + d.getMessage());
            return 0;
        }
        SweepFolders.writeSummary(out, Grid.summary(points));
        System.out.println("wrote " + out.resolve(RunFolder.SUMMARY));
        if (!report.allDone()) {
            System.err.println("optlab sweep grid: " + report.failed().size() + " runs failed (see their summary.json and "
                    + "log.txt); run the same command again to retry them");
            return 1;
        }
        return 0;
    }
}
