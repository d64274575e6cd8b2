package optlab.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A figure with log axes on both sides: lines (loss curves), points (measurements) and dashed lines (fitted
 * power laws), one legend entry each. Points with a non-positive or non-finite coordinate are left out, as a log
 * axis cannot show them. Used for a sweep's loss curves (against steps and against rescaled time) and for the top
 * Hessian eigenvalue against γ0.
 */
public final class LogLogFigure {
    /** How a series is drawn. */
    public enum Style {
        LINE, POINTS, DASHED
    }

    /** One series: its legend label, coordinates and style; {@code colour} indexes the Tableau-10 palette. */
    public record Series(String label, double[] x, double[] y, Style style, int colour) {
        public Series {
            if (x.length != y.length) {
                throw new PlotException("log-log figure: series '" + label + "' has " + x.length + " x but " + y.length
                        + " y values");
            }
        }
    }

    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};
    private static final int MAX_POINTS = 4000;

    private LogLogFigure() {
    }

    /** Writes {@code prefix.png} and {@code prefix.svg} and returns them. */
    public static List<Path> write(Path prefix, String title, String subtitle, String xLabel, String yLabel,
            List<Series> series) {
        if (series.isEmpty()) {
            throw new PlotException("log-log figure " + prefix + ": no series to draw");
        }
        TextUtils.setUseDrawRotatedStringWorkaround(false);
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true);
        int drawn = 0;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            XYSeries xy = new XYSeries(s.label() + " #" + i, false, true);
            int stride = Math.max(1, s.x().length / MAX_POINTS);
            for (int j = 0; j < s.x().length; j += stride) {
                double x = s.x()[j], y = s.y()[j];
                if (x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y)) {
                    xy.add(x, y, false);
                }
            }
            if (xy.getItemCount() == 0) {
                continue;
            }
            int index = data.getSeriesCount();
            data.addSeries(xy);
            Color c = PALETTE[Math.floorMod(s.colour(), PALETTE.length)];
            renderer.setSeriesPaint(index, c);
            renderer.setSeriesLinesVisible(index, s.style() != Style.POINTS);
            renderer.setSeriesShapesVisible(index, s.style() == Style.POINTS);
            renderer.setSeriesShape(index, new Ellipse2D.Double(-4, -4, 8, 8));
            renderer.setSeriesStroke(index, s.style() == Style.DASHED ? dashed() : new BasicStroke(1.6f));
            renderer.setLegendTextPaint(index, Color.BLACK);
            drawn++;
        }
        if (drawn == 0) {
            throw new PlotException("log-log figure " + prefix + ": no positive finite points to draw");
        }
        renderer.setLegendItemLabelGenerator((dataset, index) -> {
            String key = (String) dataset.getSeriesKey(index);
            return key.substring(0, key.lastIndexOf(" #"));
        });
        XYPlot plot = new XYPlot(data, axis(xLabel), axis(yLabel), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        if (subtitle != null && !subtitle.isBlank()) {
            chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        }
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.setBackgroundPaint(Color.WHITE);
        return FigureWriter.write(chart, prefix, EnumSet.allOf(FigureFormat.class), 1000, 700);
    }

    private static Stroke dashed() {
        return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f);
    }

    private static LogarithmicAxis axis(String label) {
        LogarithmicAxis a = new LogarithmicAxis(label);
        a.setStrictValuesFlag(false);
        a.setAutoRangeNextLogFlag(false);
        a.setExpTickLabelsFlag(true);
        return a;
    }
}
