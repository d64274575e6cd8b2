package optlab.experiments.plot;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** Entry point: reads run folders and writes their overlaid learning curves as image files. */
public final class LearningCurves {
    private LearningCurves() {
    }

    /**
     * Plots {@code runDirs} (one line per run, in the given order) to {@code prefix + ".png"} /
     * {@code ".svg"} and returns the files written.
     *
     * @throws PlotException naming the folder, file or line at fault
     */
    public static List<Path> plot(List<Path> runDirs, Path prefix, Collection<FigureFormat> formats, PlotSpec spec) {
        if (runDirs.isEmpty()) {
            throw new PlotException("plot: no run folders given");
        }
        List<Run> runs = runDirs.stream().map(Run::read).toList();
        return FigureWriter.write(CurveFigure.build(runs, spec), prefix, formats, spec.width(), spec.height());
    }

    /** The default output prefix: {@code curves} inside the first run folder. */
    public static Path defaultPrefix(List<Path> runDirs) {
        return runDirs.getFirst().resolve("curves");
    }
}
