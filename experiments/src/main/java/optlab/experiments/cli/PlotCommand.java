package optlab.experiments.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.plot.LearningCurves;
import optlab.experiments.plot.PlotException;
import optlab.experiments.plot.PlotSpec;
import optlab.experiments.plot.XAxis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code optlab plot DIR...}: learning curves of run folders, overlaid, as PNG and SVG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Learning curves of run folders, overlaid, as PNG and SVG.",
            "Panels: training loss per step (steps.csv); evaluation loss and accuracy (evals.csv; test solid, train dashed).",
            "Legend: the name in summary.json, else the folder name."})
public final class PlotCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run folders (steps.csv, optional evals.csv and summary.json).")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE_PREFIX",
            description = "Output path; .png/.svg are appended (a given .png/.svg is dropped first). Default: <first DIR>/curves.")
    Path out;

    @Option(names = "--x", paramLabel = "steps|epochs", defaultValue = "steps",
            description = "Horizontal axis: steps (default) or epochs (steps converted through evals.csv's step/epoch pairs).")
    String x;

    @Option(names = "--log-y", description = "Log scale for the loss panels.")
    boolean logY;

    @Option(names = "--smooth", paramLabel = "N", defaultValue = "1",
            description = "Trailing moving average of N points on the per-step training loss (default 1: raw).")
    int smooth;

    @Option(names = "--format", paramLabel = "png|svg", split = ",", defaultValue = "png,svg",
            description = "Output formats, comma-separated (default png,svg).")
    List<String> formats;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "1000x900", description = "Image size in pixels (default 1000x900).")
    String size;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        try {
            PlotSpec spec = spec();
            Path prefix = out != null ? withoutImageExtension(out) : LearningCurves.defaultPrefix(dirs);
            for (Path file : LearningCurves.plot(dirs, prefix, formats(), spec)) {
                System.out.println("wrote " + file);
            }
            return 0;
        } catch (PlotException e) {
            System.err.println("optlab plot: " + e.getMessage());
            return 2;
        }
    }

    /** {@code --out fig.png} means the prefix {@code fig}, not {@code fig.png.png}. */
    static Path withoutImageExtension(Path out) {
        String name = out.getFileName().toString();
        for (FigureFormat f : FigureFormat.values()) {
            if (name.toLowerCase(Locale.ROOT).endsWith(f.extension()) && name.length() > f.extension().length()) {
                return out.resolveSibling(name.substring(0, name.length() - f.extension().length()));
            }
        }
        return out;
    }

    private PlotSpec spec() {
        XAxis axis = switch (x.toLowerCase(Locale.ROOT)) {
            case "steps", "step" -> XAxis.STEPS;
            case "epochs", "epoch" -> XAxis.EPOCHS;
            default -> throw new PlotException("--x must be steps or epochs, got '" + x + "'");
        };
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w;
        int h;
        try {
            if (wh.length != 2) {
                throw new NumberFormatException();
            }
            w = Integer.parseInt(wh[0].strip());
            h = Integer.parseInt(wh[1].strip());
        } catch (NumberFormatException e) {
            throw new PlotException("--size must be WIDTHxHEIGHT in pixels, e.g. 1000x900, got '" + size + "'");
        }
        return PlotSpec.defaults().withX(axis).withLogY(logY).withSmooth(smooth).withSize(w, h);
    }

    private LinkedHashSet<FigureFormat> formats() {
        LinkedHashSet<FigureFormat> set = new LinkedHashSet<>();
        for (String f : formats) {
            switch (f.strip().toLowerCase(Locale.ROOT)) {
                case "png" -> set.add(FigureFormat.PNG);
                case "svg" -> set.add(FigureFormat.SVG);
                default -> throw new PlotException("--format takes png and/or svg, got '" + f + "'");
            }
        }
        return set;
    }
}
