package optlab.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import optlab.optim.ChainOptimizer;
import optlab.optim.Optimizer;
import optlab.optim.Optimizers;

/**
 * Reads a run's optimizer: either a spec string as {@link Optimizers#parse} takes it ("sgd:lr=0.1,momentum=0.9")
 * or an object {"name": "sgd", "lr": 0.1, "momentum": 0.9, "betas": [0.9, 0.999]} with torch.optim's names.
 * In the object form a rejected spec is retried one hyperparameter at a time, so the error names the field's path.
 * Parameter groups ({@link optlab.optim.ParamGroups}) are the spec's {@code ;GROUP} clauses or, in the object form,
 * {"groups": [{"params": "bias|norm", "weight_decay": 0}, {"params": "layers.0.*", "lr": 1e-4}]}: each "params" a
 * selector (kinds or name globs, {@code |}-separated), the other keys the hyperparameters the group overrides.
 */
final class OptimizerSpec {
    private OptimizerSpec() {
    }

    static Optimizer parse(JsonNode node, String path) {
        if (node == null) {
            throw new ConfigException(path, "is required (e.g. \"sgd:lr=0.1\" or {\"name\": \"sgd\", \"lr\": 0.1})");
        }
        if (node.isTextual()) {
            return build(node.asText(), path);
        }
        if (!node.isObject()) {
            throw new ConfigException(path, "expected a spec string or an object, got " + JsonFields.describe(node));
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            throw new ConfigException(path + ".name", "is required: one of " + String.join(", ", Optimizers.NAMES));
        }
        String name = nameNode.asText().trim().toLowerCase(Locale.ROOT);
        if (!Optimizers.NAMES.contains(name)) {
            throw new ConfigException(path + ".name", "unknown optimizer '" + name + "'; valid names are "
                    + String.join(", ", Optimizers.NAMES));
        }
        StringBuilder spec = new StringBuilder(name);
        Map<String, String> items = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("name") && !e.getKey().equals("groups")) {
                String at = path + "." + e.getKey();
                items.put(at, e.getKey() + "=" + value(e.getValue(), at));
            }
        }
        if (!items.isEmpty()) {
            spec.append(':').append(String.join(",", items.values()));
        }
        List<Group> groups = groups(node.get("groups"), path + ".groups");
        String base = spec.toString();
        for (Group g : groups) {
            spec.append(';').append(g.selector()).append(':').append(String.join(",", g.items().values()));
        }
        try {
            return Optimizers.parse(spec.toString());
        } catch (IllegalArgumentException whole) {
            // Name the field: the first hyperparameter that fails on its own (torch's defaults for the rest), then
            // the first group that fails over the base, then its selector or the first of its keys that fails alone.
            for (Map.Entry<String, String> item : items.entrySet()) {
                build(name + ":" + item.getValue(), item.getKey());
            }
            if (!(build(base, path) instanceof ChainOptimizer)) {
                throw new ConfigException(path + ".groups", name + " does not take parameter groups");
            }
            for (Group g : groups) {
                String clause = base + ";" + g.selector() + ":";
                build(clause, g.path() + ".params");
                for (Map.Entry<String, String> item : g.items().entrySet()) {
                    build(clause + item.getValue(), item.getKey());
                }
                build(clause + String.join(",", g.items().values()), g.path());
            }
            throw new ConfigException(path, whole.getMessage());
        }
    }

    /** One entry of "groups": its JSON path, selector and field path → spec item ("lr=0.1") of each override. */
    private record Group(String path, String selector, Map<String, String> items) {
    }

    private static List<Group> groups(JsonNode node, String path) {
        List<Group> groups = new ArrayList<>();
        if (node == null) {
            return groups;
        }
        if (!node.isArray()) {
            throw new ConfigException(path, "expected an array of {\"params\": selector, key: value, ...}, got "
                    + JsonFields.describe(node));
        }
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode g = node.get(i);
            JsonNode params = g.isObject() ? g.get("params") : null;
            if (params == null || !params.isTextual()) {
                throw new ConfigException(at + ".params", "is required: a selector such as \"bias|norm\" or"
                        + " \"layers.0.*\"");
            }
            Map<String, String> items = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("params")) {
                    String field = at + "." + e.getKey();
                    items.put(field, e.getKey() + "=" + value(e.getValue(), field));
                }
            }
            groups.add(new Group(at, params.asText().trim(), items));
        }
        return groups;
    }

    private static String value(JsonNode v, String path) {
        if (v.isNumber()) {
            return v.isIntegralNumber() ? Long.toString(v.asLong()) : Double.toString(v.asDouble());
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.asBoolean());
        }
        if (v.isArray() && v.size() == 2 && v.get(0).isNumber() && v.get(1).isNumber()) {
            return "(" + v.get(0).asDouble() + "," + v.get(1).asDouble() + ")";
        }
        throw new ConfigException(path, "expected a number, true/false or a pair [a, b], got " + JsonFields.describe(v));
    }

    private static Optimizer build(String spec, String path) {
        try {
            return Optimizers.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        }
    }
}
