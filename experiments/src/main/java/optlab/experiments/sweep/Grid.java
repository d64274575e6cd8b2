package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.experiments.run.ConfigException;
import optlab.experiments.run.RunConfig;

/**
 * A generic grid over a train config: the cartesian product of values for some fields (dotted paths such as
 * {@code optimizer} or {@code eval.every_steps}), each point a {@link TrainJob} writing into {@code DIR/runs/ID}
 * where ID names the point (field-value pairs joined by _, other characters replaced by -). Every point is a plain RunConfig, so the grid resumes like
 * any sweep.
 */
public final class Grid {
    /** One axis: a field and its values. */
    public record Axis(String field, List<JsonNode> values) {
        public Axis {
            if (values.isEmpty()) {
                throw new ConfigException(field, "needs at least one value");
            }
            values = List.copyOf(values);
        }
    }

    /** A point of the grid: its id, the values set, and the run. */
    public record Point(String id, Map<String, JsonNode> values, RunConfig config) {
    }

    private Grid() {
    }

    /**
     * Parses {@code FIELD=VALUES}: VALUES is a JSON array ({@code seed=[0,1,2]}, {@code optimizer=["sgd:lr=0.1",
     * "adam:lr=1e-3"]}) or a comma-separated list of numbers, true/false or plain words.
     */
    public static Axis axis(String text) {
        int eq = text.indexOf('=');
        if (eq < 1) {
            throw new ConfigException("--vary", "expected FIELD=VALUES, got '" + text + "'");
        }
        String field = text.substring(0, eq).trim(), values = text.substring(eq + 1).trim();
        List<JsonNode> out = new ArrayList<>();
        if (values.startsWith("[")) {
            JsonNode arr;
            try {
                arr = RunConfig.readTree("{\"v\": " + values + "}").get("v");
            } catch (ConfigException e) {
                throw new ConfigException("--vary " + field, "not a JSON array: " + values);
            }
            arr.forEach(out::add);
        } else {
            for (String v : values.split(",")) {
                String t = v.trim();
                JsonNode n;
                try {
                    n = JsonNodeFactory.instance.numberNode(Long.parseLong(t));
                } catch (NumberFormatException notLong) {
                    try {
                        n = JsonNodeFactory.instance.numberNode(Double.parseDouble(t));
                    } catch (NumberFormatException notNumber) {
                        n = t.equals("true") || t.equals("false") ? JsonNodeFactory.instance.booleanNode(t.equals("true"))
                                : JsonNodeFactory.instance.textNode(t);
                    }
                }
                out.add(n);
            }
        }
        return new Axis(field, out);
    }

    /** Every point of the product of {@code axes} over {@code base}, runs in {@code dir/runs/ID}; each config checked. */
    public static List<Point> points(ObjectNode base, List<Axis> axes, Path dir) {
        List<Point> out = new ArrayList<>();
        expand(base, axes, 0, new LinkedHashMap<>(), dir, out);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Point p : out) {
            if (!ids.add(p.id())) {
                throw new ConfigException("--vary", "two grid points get the same folder name " + p.id()
                        + " (values that differ only in punctuation); rename a value");
            }
        }
        return out;
    }

    private static void expand(ObjectNode base, List<Axis> axes, int i, Map<String, JsonNode> chosen, Path dir,
            List<Point> out) {
        if (i == axes.size()) {
            ObjectNode c = base.deepCopy();
            StringBuilder id = new StringBuilder();
            for (Map.Entry<String, JsonNode> e : chosen.entrySet()) {
                set(c, e.getKey(), e.getValue());
                id.append(id.isEmpty() ? "" : "_").append(e.getKey()).append('-')
                        .append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
            String name = id.isEmpty() ? "run" : id.toString().replaceAll("[^A-Za-z0-9._+-]", "-");
            c.put("name", name);
            c.put("out", dir.resolve("runs").resolve(name).toString());
            out.add(new Point(name, Map.copyOf(chosen), RunConfig.parse(c)));
            return;
        }
        for (JsonNode v : axes.get(i).values()) {
            chosen.put(axes.get(i).field(), v);
            expand(base, axes, i + 1, chosen, dir, out);
            chosen.remove(axes.get(i).field());
        }
    }

    /** Sets the dotted {@code field} of {@code o} to {@code v}, creating objects on the way. */
    static void set(ObjectNode o, String field, JsonNode v) {
        String[] parts = field.split("\\.");
        ObjectNode at = o;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = at.get(parts[i]);
            if (next instanceof ObjectNode obj) {
                at = obj;
            } else if (next == null || next.isNull()) {
                at = at.putObject(parts[i]);
            } else {
                throw new ConfigException(field, "cannot set inside " + parts[i] + ", which is not an object");
            }
        }
        at.set(parts[parts.length - 1], v);
    }

    /** The grid's summary: each point's values and its run's final figures (status, final metrics). */
    public static ObjectNode summary(List<Point> points) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode runs = o.putArray("runs");
        for (Point p : points) {
            ObjectNode r = runs.addObject();
            r.put("id", p.id());
            ObjectNode vals = r.putObject("values");
            p.values().forEach(vals::set);
            ObjectNode s = SweepFolders.summary(p.config().out());
            r.put("status", s == null ? SweepFolders.MISSING : s.path("status").asText(SweepFolders.MISSING));
            if (s != null && s.has("final")) {
                r.set("final", s.get("final"));
            }
        }
        return o;
    }
}
