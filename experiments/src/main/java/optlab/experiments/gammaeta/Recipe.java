package optlab.experiments.gammaeta;

import optlab.experiments.run.RunFolder;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.LocalSweep;
import optlab.experiments.sweep.SweepReport;

/**
 * Runs a (γ0, η0) sweep into a folder: one {@link ChainJob} per γ0 on an {@link Executor} ({@link LocalSweep}'s
 * workers by default, each run single-threaded), then the report: DIR/summary.json (η_max per γ0, fitted slopes
 * with confidence intervals, depth, every run) and the figures ({@link Figures}). The spec goes to DIR/sweep.json first; a sweep
 * started again on the same folder must have the same spec, and reuses every finished run.
 */
public final class Recipe {
    private final Settings spec;
    private final Path dir;
    private final Executor executor;
    private final PrintStream log;

    /** What a sweep ended with: the summary file, the figures, and whether any γ0 scan failed. */
    public record Outcome(Path summary, List<Path> figures, int failedChains, double wallSeconds) {
    }

    public Recipe(Settings spec, Path dir, int workers, PrintStream log) {
        this(spec, dir, new LocalSweep(workers, log), log);
    }

    public Recipe(Settings spec, Path dir, Executor executor, PrintStream log) {
        this.spec = spec;
        this.dir = dir;
        this.executor = executor;
        this.log = log;
    }

    public Outcome run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        String specText = SweepJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(spec.toJson()) + "\n";
        Path specFile = dir.resolve("sweep.json");
        if (Files.exists(specFile)) {
            Settings old = Settings.parse(SweepJson.MAPPER.readTree(specFile.toFile()));
            if (!old.toJson().equals(spec.toJson())) {
                throw new IllegalArgumentException("sweep gamma-eta: " + dir + " holds a different sweep (see "
                        + specFile + "); resume it with the same options or choose another --out");
            }
        }
        AtomicFiles.write(specFile, specText);
        List<ChainJob> jobs = new ArrayList<>();
        int chains = spec.gammaTo() - spec.gammaFrom() + 1;
        // Before any scan has found its η_max, guess it two decades below the top.
        RunProgress progress = new RunProgress(log, chains, RunProgress.guess(spec, spec.gammaFrom()));
        int expected = progress.expected();
        for (int kg = spec.gammaFrom(); kg <= spec.gammaTo(); kg++) {
            jobs.add(new ChainJob(spec, dir, kg, progress));
        }
        log.printf(Locale.ROOT, "sweep gamma-eta: %d gamma0 in [%.3g, %.3g], eta0 from %.3g down, %d decades below eta_max;"
                        + " ~%d runs on %s into %s%n", jobs.size(), spec.gammaGrid().value(spec.gammaFrom()),
                spec.gammaGrid().value(spec.gammaTo()), spec.etaGrid().value(spec.etaTop()), spec.decadesBelow(),
                expected, executor.describe(), dir);
        SweepReport sweep = executor.runAll(jobs);
        int failed = sweep.failed().size();
        Report report = Report.read(spec, dir);
        double wall = (System.nanoTime() - t0) * 1e-9;
        report.writeSummary(wall);
        List<Path> figures = Figures.all(report);
        log.printf(Locale.ROOT, "eta_max slope gamma0 < %s: %s; gamma0 > %s: %s (depth %d: expected 2 and %.3g)%n",
                Figures.fmt(spec.smallBelow()), report.small() == null ? report.smallNote() : report.small().describe(),
                Figures.fmt(spec.largeAbove()), report.large() == null ? report.largeNote() : report.large().describe(),
                report.depth(), report.depth() > 0 ? 2.0 / report.depth() : Double.NaN);
        long atTop = report.chains().stream().filter(c -> c.etaMax() != null && c.etaMax() == spec.etaTop()).count();
        if (atTop > 0) {
            log.printf(Locale.ROOT, "warning: %d gamma0 did not diverge even at the top eta0 = %.3g: their eta_max is a lower"
                    + " bound (left out of the fits); raise --eta-top%n", atTop, spec.etaGrid().value(spec.etaTop()));
        }
        log.printf(Locale.ROOT, "summary in %s; %d runs in %s%n", dir.resolve(RunFolder.SUMMARY), report.cells().size(),
                RunProgress.clock(wall));
        return new Outcome(dir.resolve(RunFolder.SUMMARY), figures, failed, wall);
    }
}
