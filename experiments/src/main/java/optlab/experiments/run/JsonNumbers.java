package optlab.experiments.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Numbers into result JSON: JSON has no NaN or infinity, so a value that is not finite is written as null. */
public final class JsonNumbers {
    private JsonNumbers() {
    }

    /** Puts {@code v}, or null when it is not finite. */
    public static void put(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    /** Puts {@code v} as an array, each element that is not finite as null. */
    public static void array(ObjectNode o, String field, double[] v) {
        ArrayNode a = o.putArray(field);
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
    }
}
