package optlab.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import optlab.optim.Optimizer;
import optlab.optim.Optimizers;

/**
 * Reads a run's optimizer: either a spec string as {@link Optimizers#parse} takes it ("sgd:lr=0.1,momentum=0.9")
 * or an object {"name": "sgd", "lr": 0.1, "momentum": 0.9, "betas": [0.9, 0.999]} with torch.optim's names.
 * In the object form a rejected spec is retried one hyperparameter at a time, so the error names the field's path.
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
        Map<String, String> items = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("name")) {
                String at = path + "." + e.getKey();
                items.put(at, e.getKey() + "=" + value(e.getValue(), at));
            }
        }
        if (!items.isEmpty()) {
            spec.append(':').append(String.join(",", items.values()));
        }
        try {
            return Optimizers.parse(spec.toString());
        } catch (IllegalArgumentException whole) {
            // Name the field: the first hyperparameter that fails on its own (torch's defaults for the rest).
            for (Map.Entry<String, String> item : items.entrySet()) {
                build(name + ":" + item.getValue(), item.getKey());
            }
            throw new ConfigException(path, whole.getMessage());
        }
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
