package optlab.experiments.pathgeometry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.plot.CsvTable;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.RunConfig;
import optlab.experiments.sweep.SweepFolders;
import optlab.experiments.sweep.SweepReport;

/**
 * The study's summary: {@code summary.json} (the settings, the sweep's outcome and a list {@code runs}, each with its
 * variant, its run {@code config}, status and the geometry of its path: {@code frac_cos_positive}, {@code median_cos},
 * the medians of cos, RSI, EB and loLR over the first 10 %, the middle 10 % and the last 10 % of the steps, path
 * length over chord and the straight-line loss) and {@code summary.txt}, the same as a table per study.
 */
final class Report {
    /** One run of the study as found in its folder (summary null when it has not finished). */
    record Row(Variant variant, RunConfig config, Path folder, String status, JsonNode summary) {
        boolean completed() {
            return SweepFolders.COMPLETED.equals(status) && summary != null && summary.has("geometry");
        }

        JsonNode geometry() {
            return summary == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : summary.path("geometry");
        }

        CsvTable table(String file) {
            return Files.isRegularFile(folder.resolve(file)) ? CsvTable.read(folder.resolve(file)) : null;
        }
    }

    private Report() {
    }

    static List<Row> rows(List<Recipe.GridRun> grid) {
        List<Row> rows = new ArrayList<>();
        for (Recipe.GridRun g : grid) {
            Path folder = g.config().out();
            String status = SweepFolders.status(folder);
            JsonNode summary = SweepFolders.COMPLETED.equals(status) ? SweepFolders.summary(folder) : null;
            rows.add(new Row(g.variant(), g.config(), folder, status, summary));
        }
        return rows;
    }

    static List<Path> write(Settings s, List<Row> rows, SweepReport sweep, Path out) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("settings", s.toJson());
        root.put("wall_seconds", sweep.wallSeconds());
        root.put("runs_completed", rows.stream().filter(Row::completed).count());
        ArrayNode runs = root.putArray("runs");
        StringBuilder txt = new StringBuilder();
        txt.append(String.format(Locale.ROOT, "path-geometry (%s): %d runs, %s; medians over the first 10 %%, middle"
                + " 10 %% and last 10 %% of the steps%n", s.preset(), rows.size(),
                s.steps() > 0 ? s.steps() + " steps each" : s.epochs() + " epochs each"));
        String group = null;
        for (Row r : rows) {
            ObjectNode o = runs.addObject();
            o.put("id", r.variant().id());
            o.put("label", r.variant().label());
            o.setAll(r.variant().toJson());
            o.set("config", r.config().toJson());
            o.put("status", r.status());
            JsonNode g = r.geometry();
            if (!group(r).equals(group)) {
                group = group(r);
                txt.append(String.format(Locale.ROOT, "%n## %s%n| run | d | cos>0 | median cos | cos first/mid/last |"
                        + " RSI first/mid/last | EB first/mid/last | path/chord | line loss w0 → w* (max rise) |%n"
                        + "|---|---|---|---|---|---|---|---|---|%n", group));
            }
            if (!r.completed()) {
                o.putNull("frac_cos_positive");
                o.putNull("median_cos");
                txt.append("| ").append(r.variant().label()).append(" | ").append(r.status()).append(" ||||||||\n");
                continue;
            }
            o.put("frac_cos_positive", g.path("frac_cos_positive").asDouble());
            o.put("median_cos", g.path("median_cos").asDouble());
            o.put("dimension", g.path("dimension").asLong());
            o.put("random_spread", g.path("random_spread").asDouble());
            for (String k : new String[] {"cos", "rsi", "eb", "lolr"}) {
                o.set(k, g.path(k));
            }
            o.put("path_over_chord", g.path("path_over_chord").asDouble());
            o.set("straight_line", r.summary().path("straight_line"));
            o.set("final", r.summary().path("final"));
            JsonNode line = r.summary().path("straight_line");
            txt.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %s | %s | %s | %.2f | %.3f → %.3f (%.3g) |%n",
                    r.variant().label(), g.path("dimension").asLong(), g.path("frac_cos_positive").asDouble(),
                    g.path("median_cos").asDouble(), three(g.path("cos")), three(g.path("rsi")), three(g.path("eb")),
                    g.path("path_over_chord").asDouble(), line.path("loss_start").asDouble(Double.NaN),
                    line.path("loss_end").asDouble(Double.NaN), line.path("max_rise").asDouble(Double.NaN)));
        }
        Path json = out.resolve("summary.json"), text = out.resolve("summary.txt");
        AtomicFiles.write(json, root.toPrettyString() + "\n");
        AtomicFiles.write(text, txt.toString());
        return List.of(json, text);
    }

    private static String group(Row r) {
        return r.variant().group();
    }

    private static String three(JsonNode w) {
        return String.format(Locale.ROOT, "%.3g / %.3g / %.3g", w.path("first_10pct").asDouble(Double.NaN),
                w.path("middle_10pct").asDouble(Double.NaN), w.path("last_10pct").asDouble(Double.NaN));
    }
}
