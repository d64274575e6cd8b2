package optlab.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A figure of small panels in a grid (row by row), e.g. a paper's "rows = settings, columns = metrics" layout:
 * one title on top, one legend below, and each series label in the same colour in every panel. Lines carry a
 * marker per point (curves sampled once per epoch); x axes start at 0; a log y axis labels its ticks in plain
 * numbers ({@link LogTicksAxis}). PNG and SVG, as {@link LearningCurves} writes them.
 */
public final class GridFigure {
    /**
     * One line: points (x[i], y[i]); non-finite points (and non-positive ones on a log axis) are skipped. With
     * {@code lo} and {@code hi} (else null), a translucent band from lo[i] to hi[i] in the line's colour (e.g. the
     * min–max over seeds).
     */
    public record Series(String label, double[] x, double[] y, double[] lo, double[] hi) {
        public Series {
            if (x.length != y.length || (lo == null) != (hi == null)
                    || (lo != null && (lo.length != x.length || hi.length != x.length))) {
                throw new IllegalArgumentException("series " + label + ": " + x.length + " x values, " + y.length
                        + " y values" + (lo == null ? "" : ", " + lo.length + " lows and " + (hi == null ? 0 : hi.length)
                        + " highs"));
            }
        }

        public Series(String label, double[] x, double[] y) {
            this(label, x, y, null, null);
        }
    }

    /** One panel: its title, a subtitle line (or null), axis labels, log or linear y, and its lines. */
    public record Panel(String title, String subtitle, String xLabel, String yLabel, boolean logY, List<Series> series) {
        public Panel {
            series = List.copyOf(series);
        }
    }

    private static final Color[] PALETTE = {new Color(0xE15759), new Color(0x4E79A7), new Color(0x59A14F),
        new Color(0xF28E2B), new Color(0xB07AA1), new Color(0x76B7B2), new Color(0x9C755F), new Color(0xEDC948)};
    private static final int TITLE_HEIGHT = 44;
    private static final int LEGEND_HEIGHT = 40;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private GridFigure() {
    }

    /**
     * Writes {@code prefix.png} / {@code .svg}: {@code panels} in rows of {@code columns}, each cell
     * {@code cellWidth × cellHeight} pixels. Returns the files written.
     */
    public static List<Path> write(String title, int columns, List<Panel> panels, Path prefix,
                                   Collection<FigureFormat> formats, int cellWidth, int cellHeight) {
        if (panels.isEmpty() || columns < 1) {
            throw new PlotException("figure " + prefix + ": no panels (or columns < 1)");
        }
        TextUtils.setUseDrawRotatedStringWorkaround(false); // rotated labels stay text in SVG
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Panel p : panels) {
            for (Series s : p.series()) {
                colours.computeIfAbsent(s.label(), k -> PALETTE[colours.size() % PALETTE.length]);
            }
        }
        List<JFreeChart> charts = new ArrayList<>();
        for (Panel p : panels) {
            charts.add(chart(p, colours));
        }
        int rows = (panels.size() + columns - 1) / columns;
        int width = columns * cellWidth, height = TITLE_HEIGHT + rows * cellHeight + LEGEND_HEIGHT;
        return FigureWriter.write((g2, w, h) -> draw(g2, title, columns, charts, colours, w, cellWidth, cellHeight),
                prefix, formats, width, height);
    }

    private static void draw(Graphics2D g2, String title, int columns, List<JFreeChart> charts, Map<String, Color> colours,
                             int width, int cellWidth, int cellHeight) {
        g2.setPaint(Color.WHITE);
        g2.fill(new Rectangle2D.Double(0, 0, width, TITLE_HEIGHT + LEGEND_HEIGHT
                + (double) ((charts.size() + columns - 1) / columns) * cellHeight));
        g2.setPaint(Color.BLACK);
        g2.setFont(TITLE_FONT);
        FontMetrics fm = g2.getFontMetrics();
        g2.drawString(title, (width - fm.stringWidth(title)) / 2f, TITLE_HEIGHT - 14f);
        for (int i = 0; i < charts.size(); i++) {
            int r = i / columns, c = i % columns;
            charts.get(i).draw(g2, new Rectangle2D.Double(c * cellWidth, TITLE_HEIGHT + r * cellHeight, cellWidth, cellHeight));
        }
        int rows = (charts.size() + columns - 1) / columns;
        float y = TITLE_HEIGHT + rows * cellHeight + LEGEND_HEIGHT / 2f + 5;
        g2.setFont(LEGEND_FONT);
        fm = g2.getFontMetrics();
        int total = 0;
        for (String label : colours.keySet()) {
            total += 36 + fm.stringWidth(label) + 24;
        }
        float x = Math.max(8, (width - total) / 2f);
        for (Map.Entry<String, Color> e : colours.entrySet()) {
            g2.setPaint(e.getValue());
            g2.setStroke(new BasicStroke(2.4f));
            g2.drawLine((int) x, (int) y - 5, (int) x + 28, (int) y - 5);
            g2.fill(new Ellipse2D.Double(x + 11, y - 8, 6, 6));
            g2.setPaint(Color.BLACK);
            g2.drawString(e.getKey(), x + 36, y);
            x += 36 + fm.stringWidth(e.getKey()) + 24;
        }
    }

    private static JFreeChart chart(Panel p, Map<String, Color> colours) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (Series s : p.series()) {
            XYSeries xy = new XYSeries(s.label() + "#" + data.getSeriesCount(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]) && (!p.logY() || s.y()[i] > 0)) {
                    xy.add(s.x()[i], s.y()[i], false);
                }
            }
            int index = data.getSeriesCount();
            data.addSeries(xy);
            renderer.setSeriesPaint(index, colours.get(s.label()));
            renderer.setSeriesStroke(index, new BasicStroke(2f));
            renderer.setSeriesShape(index, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        DeviationRenderer bandRenderer = new DeviationRenderer(false, false);
        for (Series s : p.series()) {
            if (s.lo() == null) {
                continue;
            }
            YIntervalSeries band = new YIntervalSeries(s.label() + "#band" + bands.getSeriesCount(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.lo()[i]) && Double.isFinite(s.hi()[i])
                        && (!p.logY() || s.lo()[i] > 0)) {
                    band.add(s.x()[i], Double.isFinite(s.y()[i]) ? s.y()[i] : s.lo()[i], s.lo()[i], s.hi()[i]);
                }
            }
            bandRenderer.setSeriesFillPaint(bands.getSeriesCount(), colours.get(s.label()));
            bands.addSeries(band);
        }
        bandRenderer.setAlpha(0.18f);
        NumberAxis x = new NumberAxis(p.xLabel());
        x.setAutoRangeIncludesZero(true); // x counts from 0 (epochs, steps): columns share their axis range
        ValueAxis y;
        if (p.logY()) {
            y = new LogTicksAxis(p.yLabel() + " (log)");
        } else {
            NumberAxis lin = new NumberAxis(p.yLabel());
            lin.setAutoRangeIncludesZero(false);
            y = lin;
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        if (bands.getSeriesCount() > 0) {
            plot.setDataset(1, bands); // drawn under the lines (dataset 1 renders first in REVERSE order)
            plot.setRenderer(1, bandRenderer);
            plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.REVERSE);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(p.title(), new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
        if (p.subtitle() != null) {
            chart.addSubtitle(new TextTitle(p.subtitle(), new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        }
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
