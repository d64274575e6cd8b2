package optlab.experiments.pathgeometry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.experiments.plot.CsvTable;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.plot.GridFigure;

/**
 * The study's figures (PNG and SVG), from each run's geometry.csv and straight_line.csv:
 * <ul>
 *   <li>{@code cos}, {@code rsi}, {@code eb}: one panel per run, the quantity against steps as a mean over windows of
 *       1/40 of the run with ± one standard deviation within the window; {@code cos} adds the chance band ±1/√d of a
 *       random direction;</li>
 *   <li>{@code lolr}: the locally optimal learning rate (window median) beside the lr used, per run (log scale);</li>
 *   <li>{@code cos_batch}: median cos and the fraction of steps with cos &gt; 0 against the batch size;</li>
 *   <li>{@code straight_line}: training loss along w_0 → w*, a panel per run.</li>
 * </ul>
 */
final class Figures {
    static final int WINDOWS = 40;

    private Figures() {
    }

    static List<Path> write(Settings s, List<Report.Row> rows, Path dir, Collection<FigureFormat> formats) {
        List<Report.Row> done = rows.stream().filter(Report.Row::completed).toList();
        if (done.isEmpty()) {
            return List.of();
        }
        String on = " (" + dataName(s) + ", " + (s.steps() > 0 ? s.steps() + " steps" : s.epochs() + " epochs") + ")";
        List<Path> files = new ArrayList<>();
        files.addAll(perRun(done, "cos", "cos(g, w − w*)", false, true, "cos(−g_t, w* − w_t) over training" + on,
                dir.resolve("cos"), formats));
        files.addAll(perRun(done, "rsi", "RSI", false, false, "RSI = ⟨g_t, w_t − w*⟩ / ‖w_t − w*‖² over training" + on,
                dir.resolve("rsi"), formats));
        files.addAll(perRun(done, "eb", "EB", true, false, "EB = ‖g_t‖ / ‖w_t − w*‖ over training" + on,
                dir.resolve("eb"), formats));
        files.addAll(lolr(done, "locally optimal lr ⟨g, w − w*⟩/‖g‖² beside the lr used" + on, dir.resolve("lolr"), formats));
        files.addAll(batch(done, "cos against batch size (lr ∝ √B)" + on, dir.resolve("cos_batch"), formats));
        files.addAll(line(done, "training loss along the straight line w_0 → w*" + on, dir.resolve("straight_line"), formats));
        return files;
    }

    /** Mean and standard deviation of the finite values of {@code y} in {@link #WINDOWS} windows: x, mean, sd. */
    static double[][] windows(double[] x, double[] y) {
        int n = y.length, k = Math.min(WINDOWS, Math.max(1, n));
        double[][] out = new double[3][k];
        for (int w = 0; w < k; w++) {
            int a = (int) ((long) w * n / k), b = (int) ((long) (w + 1) * n / k);
            double sum = 0, sq = 0, xs = 0;
            int m = 0;
            for (int i = a; i < b; i++) {
                if (Double.isFinite(y[i])) {
                    sum += y[i];
                    sq += y[i] * y[i];
                    m++;
                }
                xs += x[i];
            }
            out[0][w] = b > a ? xs / (b - a) : Double.NaN;
            out[1][w] = m > 0 ? sum / m : Double.NaN;
            out[2][w] = m > 1 ? Math.sqrt(Math.max(0, (sq - sum * sum / m) / (m - 1))) : 0;
        }
        return out;
    }

    private static List<Path> perRun(List<Report.Row> rows, String column, String yLabel, boolean logY, boolean chance,
            String title, Path prefix, Collection<FigureFormat> formats) {
        List<GridFigure.Panel> panels = new ArrayList<>();
        for (Report.Row r : rows) {
            CsvTable t = r.table("geometry.csv");
            if (t == null) {
                continue;
            }
            double[] step = t.values(t.requireColumn("step")), y = t.values(t.requireColumn(column));
            double[][] w = windows(step, y);
            double[] up = new double[w[0].length], down = new double[w[0].length];
            for (int i = 0; i < up.length; i++) {
                up[i] = w[1][i] + w[2][i];
                down[i] = w[1][i] - w[2][i];
            }
            List<GridFigure.Series> series = new ArrayList<>();
            series.add(new GridFigure.Series("window mean", w[0], w[1]));
            series.add(new GridFigure.Series("± 1 sd in the window", w[0], up));
            series.add(new GridFigure.Series("± 1 sd in the window", w[0], down));
            if (chance) {
                double spread = r.geometry().path("random_spread").asDouble();
                double[] ends = {w[0][0], w[0][w[0].length - 1]};
                series.add(new GridFigure.Series("chance ± 1/√d", ends, new double[] {spread, spread}));
                series.add(new GridFigure.Series("chance ± 1/√d", ends, new double[] {-spread, -spread}));
            }
            panels.add(new GridFigure.Panel(r.variant().label(), r.variant().group() + " study", "step", yLabel, logY,
                    series));
        }
        return panels.isEmpty() ? List.of() : GridFigure.write(title, 4, panels, prefix, formats, 380, 280);
    }

    private static List<Path> lolr(List<Report.Row> rows, String title, Path prefix, Collection<FigureFormat> formats) {
        List<GridFigure.Panel> panels = new ArrayList<>();
        for (Report.Row r : rows) {
            CsvTable t = r.table("geometry.csv");
            if (t == null) {
                continue;
            }
            double[] step = t.values(t.requireColumn("step"));
            double[][] w = windows(step, t.values(t.requireColumn("lolr")));
            double[][] lr = windows(step, t.values(t.requireColumn("lr")));
            panels.add(new GridFigure.Panel(r.variant().label(), r.variant().group() + " study", "step", "learning rate",
                    true, List.of(new GridFigure.Series("loLR (window mean)", w[0], w[1]),
                            new GridFigure.Series("lr used", lr[0], lr[1]))));
        }
        return panels.isEmpty() ? List.of() : GridFigure.write(title, 4, panels, prefix, formats, 380, 280);
    }

    private static List<Path> batch(List<Report.Row> rows, String title, Path prefix, Collection<FigureFormat> formats) {
        // The batch study's runs plus the base run of the same architecture, optimizer and seed.
        Map<String, List<Report.Row>> byArch = new LinkedHashMap<>();
        for (Report.Row r : rows) {
            if (r.variant().group().equals("batch")) {
                byArch.computeIfAbsent(r.variant().arch(), k -> new ArrayList<>()).add(r);
            }
        }
        if (byArch.isEmpty()) {
            return List.of();
        }
        List<GridFigure.Series> median = new ArrayList<>(), positive = new ArrayList<>();
        for (var e : byArch.entrySet()) {
            List<Report.Row> rs = new ArrayList<>(e.getValue());
            for (Report.Row r : rows) {
                Variant v = r.variant();
                if (v.group().equals("arch") && v.arch().equals(e.getKey()) && v.optimizer().equals("sgd")) {
                    rs.add(r);
                }
            }
            rs.sort(java.util.Comparator.comparingInt((Report.Row r) -> r.variant().batch()));
            double[] b = rs.stream().mapToDouble(r -> r.variant().batch()).toArray();
            median.add(new GridFigure.Series(e.getKey(), b,
                    rs.stream().mapToDouble(r -> r.geometry().path("median_cos").asDouble()).toArray()));
            positive.add(new GridFigure.Series(e.getKey(), b,
                    rs.stream().mapToDouble(r -> r.geometry().path("frac_cos_positive").asDouble()).toArray()));
        }
        return GridFigure.write(title, 2, List.of(
                new GridFigure.Panel("median cos over the run", null, "batch size", "median cos", false, median),
                new GridFigure.Panel("fraction of steps with cos > 0", null, "batch size", "fraction", false, positive)),
                prefix, formats, 480, 340);
    }

    private static List<Path> line(List<Report.Row> rows, String title, Path prefix, Collection<FigureFormat> formats) {
        List<GridFigure.Panel> panels = new ArrayList<>();
        for (Report.Row r : rows) {
            CsvTable t = r.table("straight_line.csv");
            if (t != null) {
                panels.add(new GridFigure.Panel(r.variant().label(), r.variant().group() + " study", "α in (1 − α) w_0 + α w*",
                        "training loss", false, List.of(new GridFigure.Series("training loss (eval mode)",
                                t.values(t.requireColumn("alpha")), t.values(t.requireColumn("loss"))))));
            }
        }
        return panels.isEmpty() ? List.of() : GridFigure.write(title, 4, panels, prefix, formats, 380, 280);
    }

    static String dataName(Settings s) {
        return s.data().isTextual() ? s.data().asText() : s.data().path("source").asText("data");
    }
}
