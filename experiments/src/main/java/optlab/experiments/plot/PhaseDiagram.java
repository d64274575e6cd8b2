package optlab.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The (γ0, η0) phase diagram of a sweep: x = log10 γ0, y = log10 η0, one cell per run coloured by a value
 * (viridis, with a colour bar), diverged runs as grey cells with a red ×, the measured η_max boundary as
 * a black line with points, and fitted power laws as dashed lines over their own γ0 ranges with the
 * slope ± confidence interval in the legend. Written as PNG and SVG through {@link FigureWriter}.
 *
 * <p>Cells are centred on their grid point; their width and height are the smallest spacing between
 * distinct log10 γ0 (log10 η0) values in the grid, so a regular grid (e.g. two per decade) tiles the
 * plane and irregular grids never overlap. A power law η0 = c·γ0^s is the line
 * {@code log10 η0 = log10 c + s·log10 γ0} in these axes.
 */
public final class PhaseDiagram {
    /** Default image size in pixels. */
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 800;
    /** log10 values closer than this are the same grid line (γ0 values computed as 10^(k/2) round differently). */
    private static final double SAME = 1e-6;
    private static final Color DIVERGED_FILL = new Color(0xD0D0D0);
    private static final Color DIVERGED_MARK = new Color(0xC0392B);
    private static final Color[] FIT_COLOURS = {new Color(0xF28E2B), new Color(0xE15759), new Color(0x4E79A7),
        new Color(0x59A14F), new Color(0xB07AA1)};
    private static final Stroke BOUNDARY = new BasicStroke(2.2f);
    private static final Stroke FIT = new BasicStroke(2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {9f, 5f}, 0f);

    private PhaseDiagram() {
    }

    /**
     * Writes {@code prefix.png} and {@code prefix.svg} ({@value #WIDTH}×{@value #HEIGHT}) and returns them.
     *
     * @param prefix     output path without extension; parent folders are created
     * @param title      figure title
     * @param valueLabel what the colour shows, e.g. "final test loss" (label of the colour bar)
     * @param cells      one per run, at least one; γ0, η0 finite and positive, no two at the same point,
     *                   a finite value unless diverged
     * @param etaMax     the measured boundary as {gamma0, eta0_max} pairs (may be empty), drawn in γ0 order
     * @param fits       power laws fitted to the boundary (may be empty)
     * @throws PlotException on bad input, naming the argument and the offending entry
     */
    public static List<Path> write(Path prefix, String title, String valueLabel, List<PhaseCell> cells,
            List<double[]> etaMax, List<FitLine> fits) {
        return write(prefix, title, valueLabel, cells, etaMax, fits, EnumSet.allOf(FigureFormat.class), WIDTH, HEIGHT);
    }

    /** As {@link #write(Path, String, String, List, List, List)} with chosen formats and size in pixels. */
    public static List<Path> write(Path prefix, String title, String valueLabel, List<PhaseCell> cells,
            List<double[]> etaMax, List<FitLine> fits, Collection<FigureFormat> formats, int width, int height) {
        if (prefix == null) {
            throw new PlotException("phase diagram: output prefix must not be null");
        }
        if (width < 100 || height < 100) {
            throw new PlotException("phase diagram: size must be at least 100x100 pixels, got " + width + "x" + height);
        }
        return FigureWriter.write(build(title, valueLabel, cells, etaMax, fits), prefix, formats, width, height);
    }

    /** Builds the chart (checked input; see {@link #write}). */
    static JFreeChart build(String title, String valueLabel, List<PhaseCell> cells, List<double[]> etaMax,
            List<FitLine> fits) {
        check(title, valueLabel, cells, etaMax, fits);
        TextUtils.setUseDrawRotatedStringWorkaround(false); // rotated labels stay text in SVG
        double cellW = cellSize(cells.stream().mapToDouble(c -> Math.log10(c.gamma0())).toArray());
        double cellH = cellSize(cells.stream().mapToDouble(c -> Math.log10(c.eta0())).toArray());

        NumberAxis x = new NumberAxis("log10 γ0");
        NumberAxis y = new NumberAxis("log10 η0");
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(false);
        x.setLowerMargin(0.02);
        x.setUpperMargin(0.02);
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // cells under the lines

        List<PhaseCell> finite = cells.stream().filter(c -> !c.diverged()).toList();
        List<PhaseCell> diverged = cells.stream().filter(PhaseCell::diverged).toList();
        Viridis scale = valueScale(finite);
        plot.setDataset(0, cellData("runs", finite));
        plot.setRenderer(0, blocks(scale, cellW, cellH));
        plot.setDataset(1, cellData("diverged", diverged));
        LookupPaintScale grey = new LookupPaintScale(0, 1, DIVERGED_FILL);
        plot.setRenderer(1, blocks(grey, cellW, cellH));
        plot.setDataset(2, points("diverged ×", diverged.stream().map(c -> new double[] {c.gamma0(), c.eta0()}).toList()));
        XYLineAndShapeRenderer cross = new XYLineAndShapeRenderer(false, true);
        cross.setSeriesShape(0, ShapeUtils.createDiagonalCross(4.5f, 0.9f));
        cross.setSeriesPaint(0, DIVERGED_MARK);
        plot.setRenderer(2, cross);

        List<double[]> boundary = etaMax.stream().sorted((a, b) -> Double.compare(a[0], b[0])).toList();
        plot.setDataset(3, points("η_max", boundary));
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, true);
        line.setSeriesPaint(0, Color.BLACK);
        line.setSeriesStroke(0, BOUNDARY);
        line.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        plot.setRenderer(3, line);

        XYSeriesCollection fitData = new XYSeriesCollection();
        XYLineAndShapeRenderer fitRenderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < fits.size(); i++) {
            PowerLawFitLine f = new PowerLawFitLine(fits.get(i));
            XYSeries s = new XYSeries("fit " + i, false, true);
            s.add(f.x0(), f.y0());
            s.add(f.x1(), f.y1());
            fitData.addSeries(s);
            fitRenderer.setSeriesPaint(i, fitColour(i));
            fitRenderer.setSeriesStroke(i, FIT);
        }
        plot.setDataset(4, fitData);
        plot.setRenderer(4, fitRenderer);

        plot.setFixedLegendItems(legend(diverged.isEmpty(), boundary.isEmpty(), fits));
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        JFreeChart chart = new JFreeChart(title, titleFont, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.addSubtitle(colourBar(scale, valueLabel));
        return chart;
    }

    /** A fit drawn as a segment from (log10 xMin, log10 ŷ(xMin)) to (log10 xMax, log10 ŷ(xMax)). */
    private record PowerLawFitLine(double x0, double y0, double x1, double y1) {
        PowerLawFitLine(FitLine f) {
            this(Math.log10(f.fit().xMin()), f.fit().intercept() + f.fit().slope() * Math.log10(f.fit().xMin()),
                    Math.log10(f.fit().xMax()), f.fit().intercept() + f.fit().slope() * Math.log10(f.fit().xMax()));
        }
    }

    private static void check(String title, String valueLabel, List<PhaseCell> cells, List<double[]> etaMax,
            List<FitLine> fits) {
        if (title == null || valueLabel == null) {
            throw new PlotException("phase diagram: title and valueLabel must not be null");
        }
        if (cells == null || cells.isEmpty()) {
            throw new PlotException("phase diagram: cells must hold at least one run, got " + (cells == null ? "null" : "none"));
        }
        if (etaMax == null || fits == null) {
            throw new PlotException("phase diagram: etaMax and fits must not be null (pass empty lists)");
        }
        for (int i = 0; i < cells.size(); i++) {
            PhaseCell c = cells.get(i);
            if (c == null) {
                throw new PlotException("phase diagram: cells[" + i + "] is null");
            }
            if (!positive(c.gamma0()) || !positive(c.eta0())) {
                throw new PlotException("phase diagram: cells[" + i + "] " + c + ": gamma0 and eta0 must be finite and positive");
            }
            if (!c.diverged() && !Double.isFinite(c.value())) {
                throw new PlotException("phase diagram: cells[" + i + "] " + c + ": a run that did not diverge needs a finite value");
            }
        }
        long[][] keys = new long[cells.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new long[] {Math.round(Math.log10(cells.get(i).gamma0()) / SAME),
                Math.round(Math.log10(cells.get(i).eta0()) / SAME), i};
        }
        Arrays.sort(keys, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 1; i < keys.length; i++) {
            if (keys[i][0] == keys[i - 1][0] && keys[i][1] == keys[i - 1][1]) {
                throw new PlotException("phase diagram: cells[" + keys[i - 1][2] + "] and cells[" + keys[i][2]
                        + "] are at the same (gamma0, eta0) = (" + cells.get((int) keys[i][2]).gamma0() + ", "
                        + cells.get((int) keys[i][2]).eta0() + ")");
            }
        }
        for (int i = 0; i < etaMax.size(); i++) {
            double[] p = etaMax.get(i);
            if (p == null || p.length != 2 || !positive(p[0]) || !positive(p[1])) {
                throw new PlotException("phase diagram: etaMax[" + i + "] must be {gamma0, eta0_max}, both finite and positive, got "
                        + (p == null ? "null" : Arrays.toString(p)));
            }
        }
        for (int i = 0; i < fits.size(); i++) {
            if (fits.get(i) == null) {
                throw new PlotException("phase diagram: fits[" + i + "] is null");
            }
        }
    }

    private static boolean positive(double v) {
        return v > 0 && Double.isFinite(v);
    }

    /** Smallest gap between distinct values (1 when there is only one), so cells tile without overlap. */
    static double cellSize(double[] coords) {
        double[] s = coords.clone();
        Arrays.sort(s);
        double gap = Double.POSITIVE_INFINITY;
        for (int i = 1; i < s.length; i++) {
            double d = s[i] - s[i - 1];
            if (d > SAME) {
                gap = Math.min(gap, d);
            }
        }
        return Double.isInfinite(gap) ? 1 : gap;
    }

    /** The colour range: the finite values' min..max, widened when they are all equal (or absent). */
    private static Viridis valueScale(List<PhaseCell> finite) {
        double lo = finite.stream().mapToDouble(PhaseCell::value).min().orElse(0);
        double hi = finite.stream().mapToDouble(PhaseCell::value).max().orElse(1);
        if (!(hi > lo)) {
            double pad = Math.max(0.5, Math.abs(lo) * 0.05);
            lo -= pad;
            hi += pad;
        }
        return new Viridis(lo, hi);
    }

    private static DefaultXYZDataset cellData(String key, List<PhaseCell> cells) {
        double[][] xyz = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            xyz[0][i] = Math.log10(cells.get(i).gamma0());
            xyz[1][i] = Math.log10(cells.get(i).eta0());
            xyz[2][i] = cells.get(i).diverged() ? 0.5 : cells.get(i).value();
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(key, xyz);
        return data;
    }

    private static XYBlockRenderer blocks(org.jfree.chart.renderer.PaintScale scale, double w, double h) {
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(scale);
        r.setBlockWidth(w);
        r.setBlockHeight(h);
        r.setBlockAnchor(RectangleAnchor.CENTER);
        return r;
    }

    /** Points in log10-log10 coordinates as one series. */
    private static XYSeriesCollection points(String key, List<double[]> pts) {
        XYSeries s = new XYSeries(key, false, true);
        for (double[] p : pts) {
            s.add(Math.log10(p[0]), Math.log10(p[1]));
        }
        return new XYSeriesCollection(s);
    }

    private static LegendItemCollection legend(boolean noDiverged, boolean noBoundary, List<FitLine> fits) {
        LegendItemCollection items = new LegendItemCollection();
        if (!noDiverged) {
            Shape box = new Rectangle2D.Double(-6, -6, 12, 12);
            items.add(new LegendItem("diverged (non-finite loss)", null, null, null, box, DIVERGED_FILL,
                    new BasicStroke(1.5f), DIVERGED_MARK));
        }
        if (!noBoundary) {
            items.add(new LegendItem("measured η_max", null, null, null, true, new Ellipse2D.Double(-4, -4, 8, 8), true,
                    Color.BLACK, false, Color.BLACK, BOUNDARY, true, new Line2D.Double(-10, 0, 10, 0), BOUNDARY, Color.BLACK));
        }
        for (int i = 0; i < fits.size(); i++) {
            items.add(new LegendItem(fits.get(i).legend(), null, null, null, new Line2D.Double(-12, 0, 12, 0), FIT,
                    fitColour(i)));
        }
        return items;
    }

    private static PaintScaleLegend colourBar(Viridis scale, String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        PaintScaleLegend bar = new PaintScaleLegend(scale, axis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        bar.setStripWidth(16);
        bar.setSubdivisionCount(128);
        bar.setMargin(new RectangleInsets(10, 6, 10, 10));
        bar.setFrame(BlockBorder.NONE);
        bar.setBackgroundPaint(Color.WHITE);
        return bar;
    }

    private static Paint fitColour(int i) {
        return FIT_COLOURS[i % FIT_COLOURS.length];
    }
}
