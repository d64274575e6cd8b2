package optlab.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The learning-curve figure: panels stacked over one shared x axis (step or epoch) — minibatch
 * training loss from {@code steps.csv}, then evaluation loss and accuracy from {@code evals.csv}
 * (test solid, train dashed). A run keeps one colour in every panel; the legend lists runs once.
 */
final class CurveFigure {
    /** Tableau-10: distinct and readable in print; runs beyond ten reuse colours. */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};
    private static final Stroke SOLID = new BasicStroke(1.6f);
    private static final Stroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {6f, 4f}, 0f);
    /** Points per line after decimation: several per pixel column of a 1000 px figure. */
    private static final int MAX_POINTS = 4000;

    private CurveFigure() {
    }

    /** Builds the figure for {@code runs} (at least one); labels that repeat get a "#2", "#3" suffix. */
    static JFreeChart build(List<Run> runs, PlotSpec spec) {
        if (runs.isEmpty()) {
            throw new PlotException("plot: no run folders given");
        }
        // Rotated axis labels drawn with drawString, so SVG keeps them as text, not glyph outlines.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
        List<Run> labelled = uniqueLabels(runs);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis(spec.x().label()));
        plot.setGap(12);
        String lossLabel = spec.smooth() > 1 ? "train loss (minibatch, avg of " + spec.smooth() + ")" : "train loss (minibatch)";
        plot.add(panel(lossLabel, spec, true, labelled, run -> List.of(new Line(trainLoss(run, spec), SOLID, false))), 3);
        boolean anyEvals = labelled.stream().anyMatch(r -> !r.evals().isEmpty());
        if (anyEvals) {
            plot.add(panel("eval loss", spec, true, labelled, run -> evalLines(run, spec, run.evals().testLoss(), run.evals().trainLoss())), 2);
            plot.add(panel("accuracy", spec, false, labelled, run -> evalLines(run, spec, run.evals().testAcc(), run.evals().trainAcc())), 2);
        }
        LegendItemCollection legend = new LegendItemCollection();
        for (int i = 0; i < labelled.size(); i++) {
            legend.add(new LegendItem(labelled.get(i).label(), null, null, null, new Line2D.Double(-8, 0, 8, 0), SOLID, colour(i)));
        }
        plot.setFixedLegendItems(legend);

        JFreeChart chart = new JFreeChart("Learning curves", new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        if (anyEvals) {
            chart.addSubtitle(new TextTitle("evaluations: test solid, train dashed", new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        }
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** A line to draw in a panel: its points, stroke and whether to mark each point (sparse evaluations). */
    private record Line(Curve curve, Stroke stroke, boolean markers) {
    }

    private interface LinesOf {
        List<Line> lines(Run run);
    }

    private static XYPlot panel(String yLabel, PlotSpec spec, boolean lossPanel, List<Run> runs, LinesOf linesOf) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        // One path per line, not a segment per point: a compact SVG and dashes that run on unbroken.
        renderer.setDrawSeriesLineAsPath(true);
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            int k = 0;
            for (Line line : linesOf.lines(run)) {
                if (line.curve().isEmpty()) {
                    continue;
                }
                // Series keys must be unique in a dataset; the legend is fixed, so keys are never shown.
                XYSeries series = new XYSeries(run.label() + "/" + k++, false, true);
                Curve c = line.curve();
                for (int i = 0; i < c.x().length; i++) {
                    series.add(c.x()[i], c.y()[i], false);
                }
                int index = data.getSeriesCount();
                data.addSeries(series);
                renderer.setSeriesPaint(index, colour(r));
                renderer.setSeriesStroke(index, line.stroke());
                renderer.setSeriesShapesVisible(index, line.markers());
                renderer.setSeriesShape(index, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
            }
        }
        ValueAxis y = lossPanel && spec.logY() ? logAxis(yLabel) : numberAxis(yLabel);
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        return plot;
    }

    private static ValueAxis numberAxis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    /** Log scale with ticks at 1..9 x 10^k labelled as plain numbers (LogAxis labels 10^0.4-style steps). */
    private static ValueAxis logAxis(String label) {
        LogarithmicAxis axis = new LogarithmicAxis(label + ", log");
        axis.setStrictValuesFlag(false); // non-positive values were already dropped from log panels
        axis.setAutoRangeNextLogFlag(false);
        return axis;
    }

    private static Curve trainLoss(Run run, PlotSpec spec) {
        Curve loss = run.trainLoss();
        if (spec.x() == XAxis.EPOCHS) {
            loss = new Curve(run.evals().epochsAt(loss.x(), run.label()), loss.y());
        }
        return loss.drawable(spec.logY()).smoothed(spec.smooth()).decimated(MAX_POINTS);
    }

    private static List<Line> evalLines(Run run, PlotSpec spec, double[] test, double[] train) {
        Evals e = run.evals();
        double[] x = spec.x() == XAxis.EPOCHS ? e.epoch() : e.step();
        List<Line> lines = new ArrayList<>(2);
        lines.add(new Line(new Curve(x, test).drawable(spec.logY()), SOLID, true));
        lines.add(new Line(new Curve(x, train).drawable(spec.logY()), DASHED, true));
        return lines;
    }

    private static Paint colour(int run) {
        return PALETTE[run % PALETTE.length];
    }

    private static List<Run> uniqueLabels(List<Run> runs) {
        Map<String, Integer> seen = new HashMap<>();
        List<Run> out = new ArrayList<>(runs.size());
        for (Run run : runs) {
            int n = seen.merge(run.label(), 1, Integer::sum);
            out.add(n == 1 ? run : run.withLabel(run.label() + " #" + n));
        }
        return out;
    }
}
