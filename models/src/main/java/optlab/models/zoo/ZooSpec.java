package optlab.models.zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key=value options of one model spec, parsed once, read with defaults, and checked at the end so
 * that a misspelt key is an error naming it. Errors quote the whole spec.
 */
final class ZooSpec {
    private final String spec;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new java.util.HashSet<>();

    /** Parses "k1=v1,k2=v2" (may be empty); {@code spec} is the whole text, for messages. */
    ZooSpec(String spec, String options) {
        this.spec = spec;
        if (options.isBlank()) {
            return;
        }
        for (String token : options.split(",", -1)) {
            int eq = token.indexOf('=');
            if (eq <= 0 || eq == token.length() - 1) {
                throw error("bad token '" + token + "' (expected key=value)");
            }
            String key = token.substring(0, eq).trim();
            if (values.put(key, token.substring(eq + 1).trim()) != null) {
                throw error("key '" + key + "' given twice");
            }
        }
    }

    IllegalArgumentException error(String what) {
        return new IllegalArgumentException("model spec '" + spec + "': " + what);
    }

    int integer(String key, int dflt) {
        String v = take(key);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < 1) {
                throw error("bad value '" + v + "' for " + key + " (must be a positive integer)");
            }
            return i;
        } catch (NumberFormatException e) {
            throw error("bad value '" + v + "' for " + key + " (must be a positive integer)");
        }
    }

    double real(String key, double dflt) {
        String v = take(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw error("bad value '" + v + "' for " + key + " (must be a number)");
        }
    }

    boolean bool(String key, boolean dflt) {
        String v = take(key);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "true", "on", "1" -> true;
            case "false", "off", "0" -> false;
            default -> throw error("bad value '" + v + "' for " + key + " (must be true or false)");
        };
    }

    String string(String key, String dflt) {
        String v = take(key);
        return v == null ? dflt : v;
    }

    /** Dash-separated positive integers, e.g. "2-2-2-2". */
    int[] integers(String key, int[] dflt) {
        String v = take(key);
        return v == null ? dflt : parseIntegers(key, v);
    }

    int[] parseIntegers(String key, String v) {
        List<Integer> out = new ArrayList<>();
        for (String part : v.split("-", -1)) {
            try {
                int i = Integer.parseInt(part.trim());
                if (i < 1) {
                    throw new NumberFormatException();
                }
                out.add(i);
            } catch (NumberFormatException e) {
                throw error("bad token '" + part + "' in " + key + " '" + v + "' (must be positive integers joined by '-')");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** C×H×W such as "3x32x32". */
    int[] image(String key, int[] dflt) {
        String v = take(key);
        if (v == null) {
            return dflt;
        }
        String[] parts = v.split("x", -1);
        if (parts.length != 3) {
            throw error("bad value '" + v + "' for " + key + " (expected CxHxW, e.g. 3x32x32)");
        }
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                out[i] = 0;
            }
            if (out[i] < 1) {
                throw error("bad token '" + parts[i] + "' in " + key + " '" + v + "' (expected CxHxW)");
            }
        }
        return out;
    }

    private String take(String key) {
        read.add(key);
        return values.get(key);
    }

    /** Fails on any key nobody asked for. */
    void finish() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                throw error("unknown key '" + key + "' (known: " + String.join(", ", read) + ")");
            }
        }
    }
}
