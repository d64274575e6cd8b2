package optlab.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A log-log scaling figure (axes show log10 of the data, so power laws are straight lines): measured point
 * series, curves such as a closed form, and fitted power laws ({@link FitLine}) drawn dashed over their own x
 * range with slope ± confidence interval in the legend. Used for η_max(γ) of the toy model and λ_max(γ).
 */
public final class ScalingFigure {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 750;
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0x222222), new Color(0xE15759),
        new Color(0x59A14F), new Color(0xB07AA1), new Color(0x9C755F)};
    private static final Color[] FIT_COLOURS = {new Color(0xF28E2B), new Color(0x76B7B2), new Color(0xEDC948),
        new Color(0xFF9DA7)};
    private static final Stroke SOLID = new BasicStroke(1.8f);
    private static final Stroke FIT = new BasicStroke(2.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {9f, 5f}, 0f);

    private ScalingFigure() {
    }

    /** Writes {@code prefix.png} and {@code prefix.svg}; axis labels name the quantities (log10 is added). */
    public static List<Path> write(Path prefix, String title, String xLabel, String yLabel, List<ScalingSeries> series,
            List<FitLine> fits) {
        return write(prefix, title, xLabel, yLabel, series, fits, EnumSet.allOf(FigureFormat.class), WIDTH, HEIGHT);
    }

    public static List<Path> write(Path prefix, String title, String xLabel, String yLabel, List<ScalingSeries> series,
            List<FitLine> fits, Collection<FigureFormat> formats, int width, int height) {
        if (prefix == null || title == null || xLabel == null || yLabel == null || series == null || fits == null) {
            throw new PlotException("scaling figure: prefix, title, labels, series and fits must not be null");
        }
        if (series.isEmpty() || series.stream().allMatch(s -> s.x().length == 0)) {
            throw new PlotException("scaling figure: nothing to draw (no series with points)");
        }
        return FigureWriter.write(build(title, xLabel, yLabel, series, fits), prefix, formats, width, height);
    }

    static JFreeChart build(String title, String xLabel, String yLabel, List<ScalingSeries> series, List<FitLine> fits) {
        TextUtils.setUseDrawRotatedStringWorkaround(false);
        NumberAxis x = new NumberAxis("log10 " + xLabel);
        NumberAxis y = new NumberAxis("log10 " + yLabel);
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));

        LegendItemCollection legend = new LegendItemCollection();
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        for (int i = 0; i < series.size(); i++) {
            ScalingSeries s = series.get(i);
            XYSeries xy = new XYSeries(i + ":" + s.label(), false, true);
            for (int k = 0; k < s.x().length; k++) {
                xy.add(Math.log10(s.x()[k]), Math.log10(s.y()[k]));
            }
            data.addSeries(xy);
            Paint p = PALETTE[i % PALETTE.length];
            r.setSeriesPaint(i, p);
            r.setSeriesStroke(i, SOLID);
            r.setSeriesLinesVisible(i, s.line());
            r.setSeriesShapesVisible(i, s.markers());
            r.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
            legend.add(new LegendItem(s.label(), null, null, null, s.markers(), new Ellipse2D.Double(-4, -4, 8, 8),
                    s.markers(), p, false, p, SOLID, s.line(), new Line2D.Double(-10, 0, 10, 0), SOLID, p));
        }
        plot.setDataset(0, data);
        plot.setRenderer(0, r);

        XYSeriesCollection fitData = new XYSeriesCollection();
        XYLineAndShapeRenderer fr = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < fits.size(); i++) {
            var f = fits.get(i).fit();
            XYSeries s = new XYSeries("fit " + i, false, true);
            for (double xv : new double[] {f.xMin(), f.xMax()}) {
                s.add(Math.log10(xv), f.intercept() + f.slope() * Math.log10(xv));
            }
            fitData.addSeries(s);
            Paint p = FIT_COLOURS[i % FIT_COLOURS.length];
            fr.setSeriesPaint(i, p);
            fr.setSeriesStroke(i, FIT);
            legend.add(new LegendItem(fits.get(i).legend(), null, null, null, new Line2D.Double(-12, 0, 12, 0), FIT, p));
        }
        plot.setDataset(1, fitData);
        plot.setRenderer(1, fr);
        plot.setFixedLegendItems(legend);
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD); // fits on top, visible

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return chart;
    }
}
