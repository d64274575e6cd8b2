package optlab.experiments.plot;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/** Writes a chart as PNG (raster, via ImageIO) and/or SVG (vector text and lines, via JFreeSVG). */
final class FigureWriter {
    private FigureWriter() {
    }

    /** Something that paints a whole figure onto a canvas of the size it is given. */
    interface Drawing {
        void draw(Graphics2D g2, int width, int height);
    }

    /** Writes {@code prefix + ".png"} / {@code ".svg"} for each format and returns the files written. */
    static List<Path> write(JFreeChart chart, Path prefix, Collection<FigureFormat> formats, int width, int height) {
        return write((g2, w, h) -> chart.draw(g2, new Rectangle(0, 0, w, h)), prefix, formats, width, height);
    }

    /** As {@link #write(JFreeChart, Path, Collection, int, int)} for any drawing (e.g. several charts on one canvas). */
    static List<Path> write(Drawing drawing, Path prefix, Collection<FigureFormat> formats, int width, int height) {
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
                    case PNG -> {
                        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                        Graphics2D g2 = image.createGraphics();
                        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                        drawing.draw(g2, width, height);
                        g2.dispose();
                        ImageIO.write(image, "png", file.toFile());
                    }
                    case SVG -> {
                        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
                        drawing.draw(g2, width, height);
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
