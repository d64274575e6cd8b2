package optlab.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of one JSON object by name, remembering which were read, so {@link #finish} can reject
 * every field nobody asked for. Each error is a {@link ConfigException} naming the field's dotted path.
 */
public final class JsonFields {
    private final ObjectNode node;
    private final String path;
    private final Set<String> known = new LinkedHashSet<>();

    public JsonFields(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(path, "expected a JSON object, got " + describe(node));
        }
        this.node = (ObjectNode) node;
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Path of a child field. */
    public String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public boolean has(String field) {
        known.add(field);
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public JsonNode node(String field) {
        known.add(field);
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public String string(String field, String fallback) {
        JsonNode v = node(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new ConfigException(at(field), "expected a string, got " + describe(v));
        }
        return v.asText();
    }

    public String requiredString(String field) {
        String s = string(field, null);
        if (s == null || s.isBlank()) {
            throw new ConfigException(at(field), "is required");
        }
        return s;
    }

    public boolean bool(String field, boolean fallback) {
        JsonNode v = node(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(at(field), "expected true or false, got " + describe(v));
        }
        return v.asBoolean();
    }

    /** An integer in [min, max]. */
    public long integer(String field, long fallback, long min, long max) {
        JsonNode v = node(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ConfigException(at(field), "expected an integer, got " + describe(v));
        }
        long x = v.asLong();
        if (x < min || x > max) {
            throw new ConfigException(at(field), "must be in [" + min + ", " + max + "], got " + x);
        }
        return x;
    }

    /** A finite number in [min, max]. */
    public double real(String field, double fallback, double min, double max) {
        JsonNode v = node(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new ConfigException(at(field), "expected a number, got " + describe(v));
        }
        double x = v.asDouble();
        if (!(x >= min && x <= max)) {
            throw new ConfigException(at(field), "must be in [" + min + ", " + max + "], got " + x);
        }
        return x;
    }

    /** Rejects every field of the object that was not read. */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                unknown.add(f);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(at(unknown.get(0)), "unknown field (known fields here: " + String.join(", ", known) + ")");
        }
    }

    public static String describe(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "nothing";
        }
        String text = v.toString();
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }
}
