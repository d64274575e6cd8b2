package optlab.experiments.plot;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/** Writes a chart as PNG (raster, via ImageIO) and/or SVG (vector text and lines, via JFreeSVG). */
final class FigureWriter {
    private FigureWriter() {
    }

    /** Writes {@code prefix + ".png"} / {@code ".svg"} for each format and returns the files written. */
    static List<Path> write(JFreeChart chart, Path prefix, Collection<FigureFormat> formats, int width, int height) {
        if (formats.isEmpty()) {
            throw new PlotException("plot: no output format given (png, svg)");
        }
        List<Path> written = new ArrayList<>();
        try {
            Path parent = prefix.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            for (FigureFormat format : formats) {
                Path file = prefix.resolveSibling(prefix.getFileName() + format.extension());
                switch (format) {
                    case PNG -> ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
                    case SVG -> {
                        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
                        chart.draw(g2, new Rectangle(0, 0, width, height));
                        SVGUtils.writeToSVG(file.toFile(), g2.getSVGElement());
                    }
                }
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("plot: cannot write figure " + prefix, e);
        }
        return written;
    }
}
