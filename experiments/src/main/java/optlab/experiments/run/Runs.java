package optlab.experiments.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import optlab.experiments.loop.Probe;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.plot.LearningCurves;
import optlab.experiments.plot.PlotSpec;

/**
 * The run API for programs that use optlab as a library: config → run → results, plots included. It is what
 * {@code optlab train} does, without the command line: a {@link RunConfig} (JSON text, a file, or built in code
 * with {@link RunConfig#parse}) trains through the {@link Trainer}, writes the run folder (steps.csv, evals.csv,
 * summary.json; see the {@link optlab.experiments.run package} page for the files and the config format), draws
 * the learning curves into it, and returns an {@link Outcome}.
 *
 * <pre>{@code
 * RunConfig config = Runs.config("""
 *     {"model": "mlp:16-32-4", "optimizer": "sgd:lr=0.1", "batch_size": 32, "steps": 200, "seed": 1,
 *      "data": {"source": "gaussian-mixture", "classes": 4, "dim": 16, "train": 2000, "test": 500},
 *      "out": "runs/lib-demo"}""");
 * Runs.Outcome done = Runs.train(config);
 * System.out.println(done.result().status() + " " + done.result().test() + " " + done.plots());
 * }</pre>
 *
 * Bad configs throw {@link ConfigException} (an {@link IllegalArgumentException}) naming the field's JSON path
 * before anything runs. A run that diverges returns normally with status {@link RunResult.Status#DIVERGED}; one that
 * fails throws, after writing a "failed" summary.
 */
public final class Runs {
    private Runs() {
    }

    /** A finished run: its result and the figure files drawn beside it (empty when plots were not asked for). */
    public record Outcome(RunResult result, List<Path> plots) {
        public Outcome {
            plots = List.copyOf(plots);
        }
    }

    /** A config from JSON text (fields as on {@link RunConfig}). */
    public static RunConfig config(String json) {
        return RunConfig.parse(RunConfig.readTree(json));
    }

    /** A config from a JSON file; an unreadable or invalid file is an {@link IllegalArgumentException} naming it. */
    public static RunConfig config(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        try {
            return config(text);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Trains quietly (no log lines) and draws the curves as PNG and SVG. */
    public static Outcome train(RunConfig config) throws IOException {
        return train(config, new PrintStream(OutputStream.nullOutputStream()), EnumSet.allOf(FigureFormat.class), List.of());
    }

    /**
     * Trains, logging progress to {@code log}, with {@code probes} attached from code beside the config's, then
     * draws the learning curves in {@code formats} (none: no plots). A run that diverged is plotted too (its curves
     * up to the divergence).
     */
    public static Outcome train(RunConfig config, PrintStream log, Set<FigureFormat> formats, List<Probe> probes)
            throws IOException {
        RunResult result = new Trainer(config, log, probes).run();
        return new Outcome(result, formats.isEmpty() ? List.of() : plot(result.out(), formats));
    }

    /** Draws a run folder's learning curves as {@code RUN_DIR/curves.png} / {@code .svg}; returns the files. */
    public static List<Path> plot(Path runDir, Set<FigureFormat> formats) {
        return LearningCurves.plot(List.of(runDir), runDir.resolve("curves"), formats, PlotSpec.defaults());
    }
}
