package optlab.experiments.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.run.ConfigException;
import optlab.experiments.run.JsonFields;
import optlab.models.ModelSpace;

/**
 * A probe as a run's config names it: {@code "probes": ["timing", {"name": "grad_norms", "every": 50},
 * "hessian_top:iterations=30"]} (an object, or a string {@code name[:key=value,...]}). Each kind and its options:
 * <ul>
 *   <li>{@code grad_norms}: per-tensor gradient norms, {@code every} steps (default 1) → grad_norms.csv;</li>
 *   <li>{@code hessian_top}: λ_max at the end on the first {@code samples} (256) held-out samples, {@code iterations}
 *       (20) power steps to relative change {@code tol} (1e-3) → summary hessian_top;</li>
 *   <li>{@code path_norm}: φ_p at evaluations, {@code p} (2) → evals.csv path_norm;</li>
 *   <li>{@code timing}: time per step → timing.csv and summary timing;</li>
 *   <li>{@code optimizer_state}: the optimizer state's scalars (rk23's h, accepted, rejected; gradient evaluations)
 *       every {@code every} (1) updates → optimizer_state.csv;</li>
 *   <li>{@code geometry}: RSI, EB, cos, loLR of every step against the end point w* → geometry.csv
 *       ({@link GeometryProbe}: {@code update} (true), {@code random_every} (100; 0: no random-baseline column),
 *       {@code weight_decay} (the optimizer's)). In a run it is the config's {@code "geometry"} section, which trains
 *       twice to know w*; named here (the step benchmarks) it measures against w* = w_0 (benchmark mode; the benchmarks restart the
 *       step count every block, so give random_every=0 there);</li>
 *   <li>{@code geometry_fixed}: the same at w_t for {@code batches} (10) fixed minibatches, {@code every} (10) steps
 *       → geometry_fixed.csv;</li>
 *   <li>{@code geometry_full}: the full-batch gradient's, every {@code every_epochs} (1) epochs, summed over chunks
 *       of {@code batch} (500) samples → geometry_full.csv;</li>
 *   <li>{@code geometry_layers}: per parameter tensor, {@code every} (10) steps → geometry_layers.csv;</li>
 *   <li>{@code straight_line}: loss along w_0 → w* at {@code points} (21) points on the first {@code samples}
 *       (10000) training samples, at the end → straight_line.csv.</li>
 * </ul>
 * The last five measure against w* (see {@link EndPoint}); a run takes them only with its {@code "geometry"}
 * section.
 * Unknown kinds or options are config errors naming the field.
 */
public record ProbeSpec(String name, ObjectNode options) {
    /** The kinds a config may name. */
    public static final List<String> NAMES = List.of("grad_norms", "hessian_top", "optimizer_state", "path_norm", "timing", "geometry",
            "geometry_fixed", "geometry_full", "geometry_layers", "straight_line");

    /** The kinds that measure against the path's end point w*. */
    public static final List<String> NEEDS_END_POINT = List.of("geometry", "geometry_fixed", "geometry_full",
            "geometry_layers", "straight_line");

    public ProbeSpec {
        options = options.deepCopy();
    }

    /** The list under "probes" (null: none). */
    public static List<ProbeSpec> parseList(JsonNode node, String path) {
        List<ProbeSpec> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ConfigException(path, "expected a list of probes, got " + JsonFields.describe(node));
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(parse(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    /** One probe: an object with "name" and options, or "name:key=value,...". */
    public static ProbeSpec parse(JsonNode node, String path) {
        ObjectNode o;
        if (node.isTextual()) {
            o = fromText(node.asText(), path);
        } else if (node.isObject()) {
            o = (ObjectNode) node.deepCopy();
        } else {
            throw new ConfigException(path, "expected a probe name or object, got " + JsonFields.describe(node));
        }
        JsonNode n = o.remove("name");
        if (n == null || !n.isTextual()) {
            throw new ConfigException(path + ".name", "is required: one of " + String.join(", ", NAMES));
        }
        String name = n.asText().trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new ConfigException(path + ".name", "unknown probe '" + name + "'; valid probes are "
                    + String.join(", ", NAMES));
        }
        ProbeSpec spec = new ProbeSpec(name, o);
        spec.validate(path);
        return spec;
    }

    /** {@code name[:key=value,...]} as an object (integers, numbers and booleans where they parse). */
    public static ObjectNode fromText(String text, String path) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        int colon = text.indexOf(':');
        o.put("name", (colon < 0 ? text : text.substring(0, colon)).trim());
        if (colon >= 0 && !text.substring(colon + 1).isBlank()) {
            for (String item : text.substring(colon + 1).split(",")) {
                int eq = item.indexOf('=');
                if (eq < 1) {
                    throw new ConfigException(path, "expected key=value in '" + text + "', got '" + item + "'");
                }
                String k = item.substring(0, eq).trim(), v = item.substring(eq + 1).trim();
                if (v.equals("true") || v.equals("false")) {
                    o.put(k, Boolean.parseBoolean(v));
                    continue;
                }
                try {
                    long n = Long.parseLong(v);
                    if (n == (int) n) {
                        o.put(k, (int) n); // as a JSON reader would read it back, so configs compare equal
                    } else {
                        o.put(k, n);
                    }
                } catch (NumberFormatException notAnInteger) {
                    try {
                        o.put(k, Double.parseDouble(v));
                    } catch (NumberFormatException notANumber) {
                        o.put(k, v);
                    }
                }
            }
        }
        return o;
    }

    private JsonFields fields(String path) {
        return new JsonFields(options, path);
    }

    private void validate(String path) {
        build(null, EndPoint.initial(), path);
    }

    /** The probe for {@code space} (null only when validating); probes needing w* measure against w_0. */
    public Probe build(ModelSpace space) {
        return build(space, EndPoint.initial());
    }

    /** The probe for {@code space}, measuring against {@code end} where it needs the path's end point. */
    public Probe build(ModelSpace space, EndPoint end) {
        return build(space, end, "probes." + name);
    }

    private Probe build(ModelSpace space, EndPoint end, String path) {
        JsonFields f = fields(path);
        Probe p = switch (name) {
            case "grad_norms" -> new GradNorms(f.integer("every", 1, 1, Long.MAX_VALUE));
            case "hessian_top" -> new HessianProbe((int) f.integer("samples", 256, 1, Integer.MAX_VALUE),
                    (int) f.integer("iterations", 20, 1, 100_000), f.real("tol", 1e-3, 0, 1));
            case "path_norm" -> {
                double pp = f.real("p", 2, 1e-9, 1e9);
                yield space == null ? null : pathNorm(space, pp, path);
            }
            case "timing" -> new Timing();
            case "optimizer_state" -> new OptimizerScalars(f.integer("every", 1, 1, Long.MAX_VALUE));
            case "geometry" -> new GeometryProbe(end, f.bool("update", true), f.integer("random_every", 100, 0,
                    Long.MAX_VALUE), f.real("weight_decay", Double.NaN, 0, Double.MAX_VALUE));
            case "geometry_fixed" -> new FixedBatchGeometry(end, f.integer("every", 10, 1, Long.MAX_VALUE),
                    (int) f.integer("batches", 10, 1, 10_000));
            case "geometry_full" -> new FullBatchGeometry(end, f.integer("every_epochs", 1, 1, Long.MAX_VALUE),
                    (int) f.integer("batch", 500, 1, Integer.MAX_VALUE));
            case "geometry_layers" -> new LayerGeometry(end, f.integer("every", 10, 1, Long.MAX_VALUE));
            case "straight_line" -> new StraightLine(end, (int) f.integer("points", 21, 2, 100_000),
                    (int) f.integer("samples", 10_000, 1, Integer.MAX_VALUE), (int) f.integer("batch", 500, 1,
                    Integer.MAX_VALUE));
            default -> throw new IllegalStateException(name);
        };
        f.finish();
        return p;
    }

    private static Probe pathNorm(ModelSpace space, double p, String path) {
        try {
            return PathNorm.of(space, p);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, "the model has no path structure: " + e.getMessage());
        }
    }

    /** As written in configs and summaries. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.setAll(options);
        return o;
    }
}
