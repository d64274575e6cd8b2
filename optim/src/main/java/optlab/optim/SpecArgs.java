package optlab.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The key=value part of an optimizer spec ("lr=0.05,momentum=0.9,betas=(0.9,0.999)", and lists in brackets
 * as a Butcher tableau is written: "a=[[0.5],[0,0.5]],b=[0.25,0.75]"). Each rule
 * reads the keys it knows with a default; {@link #finish} then rejects any key nobody read, naming
 * the valid ones.
 */
final class SpecArgs {
    private final String optimizer;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> valid = new ArrayList<>();

    SpecArgs(String optimizer, String body) {
        this.optimizer = optimizer;
        for (String item : splitTopLevel(body)) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(optimizer + ": expected key=value, got '" + item.trim() + "'");
            }
            String key = item.substring(0, eq).trim();
            if (values.put(key, item.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(optimizer + ": key '" + key + "' given twice");
            }
        }
    }

    /** Splits on commas that are not inside parentheses or brackets. */
    static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    double real(String key, double def) {
        valid.add(key);
        String v = values.get(key);
        return v == null ? def : number(key, v);
    }

    boolean bool(String key, boolean def) {
        valid.add(key);
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(optimizer + ": " + key + " must be true or false, got '" + v + "'");
        };
    }

    /** A pair written "(a,b)" as in torch's {@code betas=(0.9, 0.999)}. */
    double[] pair(String key, double a, double b) {
        valid.add(key);
        String v = values.get(key);
        if (v == null) {
            return new double[] {a, b};
        }
        String inner = v.startsWith("(") && v.endsWith(")") ? v.substring(1, v.length() - 1) : null;
        String[] xs = inner == null ? new String[0] : inner.split(",");
        if (xs.length != 2) {
            throw new IllegalArgumentException(optimizer + ": " + key + " must be a pair like (0.9,0.999), got '" + v + "'");
        }
        return new double[] {number(key, xs[0].trim()), number(key, xs[1].trim())};
    }

    /** A list written "[0.25,0.75]", or null when the key is absent. */
    double[] list(String key) {
        valid.add(key);
        String v = values.get(key);
        return v == null ? null : list(key, v);
    }

    /** Rows written "[[0.5],[0,0.75]]" (rows may differ in length), or null when the key is absent. */
    double[][] rows(String key) {
        valid.add(key);
        String v = values.get(key);
        if (v == null) {
            return null;
        }
        String inner = bracketed(key, v, "a list of rows like [[0.5],[0,0.75]]");
        List<String> items = splitTopLevel(inner);
        if (inner.isBlank()) {
            return new double[0][];
        }
        double[][] out = new double[items.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = list(key, items.get(i).trim());
        }
        return out;
    }

    private double[] list(String key, String v) {
        String inner = bracketed(key, v, "a list like [0.25,0.75]");
        if (inner.isBlank()) {
            return new double[0];
        }
        List<String> items = splitTopLevel(inner);
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(key, items.get(i).trim());
        }
        return out;
    }

    private String bracketed(String key, String v, String what) {
        if (!(v.startsWith("[") && v.endsWith("]"))) {
            throw new IllegalArgumentException(optimizer + ": " + key + " must be " + what + ", got '" + v + "'");
        }
        return v.substring(1, v.length() - 1);
    }

    private double number(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(optimizer + ": " + key + " must be a number, got '" + v + "'");
        }
    }

    /** Fails on keys no rule read. */
    void finish() {
        for (String key : values.keySet()) {
            if (!valid.contains(key)) {
                throw new IllegalArgumentException(optimizer + ": unknown key '" + key + "'; valid keys are "
                        + String.join(", ", valid));
            }
        }
    }

    /** Formats key=value pairs back into a spec. */
    static String spec(String name, Object... kv) {
        StringBuilder sb = new StringBuilder(name).append(':');
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(kv[i]).append('=').append(kv[i + 1]);
        }
        return sb.toString();
    }
}
