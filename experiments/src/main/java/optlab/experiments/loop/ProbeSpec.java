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
 *       every {@code every} (1) updates → optimizer_state.csv.</li>
 * </ul>
 * Unknown kinds or options are config errors naming the field.
 */
public record ProbeSpec(String name, ObjectNode options) {
    /** The kinds a config may name. */
    public static final List<String> NAMES = List.of("grad_norms", "hessian_top", "optimizer_state", "path_norm",
            "timing");

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

    /** {@code name[:key=value,...]} as an object (numbers where they parse). */
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
        build(null, path);
    }

    /** The probe for {@code space} (null only when validating). */
    public Probe build(ModelSpace space) {
        return build(space, "probes." + name);
    }

    private Probe build(ModelSpace space, String path) {
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
