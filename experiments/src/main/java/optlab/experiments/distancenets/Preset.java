package optlab.experiments.distancenets;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named settings of the recipe. Both: hidden width 100, minibatch 100 (reshuffled every epoch), seed 0, test error
 * after every epoch, each method's step chosen per (architecture, depth) on held-out validation samples.
 * <ul>
 *   <li>{@code paper}: the paper's setting — the whole training set less 10,000 validation samples, 50 epochs,
 *       depths 1 to 6, every architecture and method, three steps per method around the usual values (the authors'
 *       α = 0.01 for their RMSProp; SGD up to 10, momentum up to 1): 360 runs, days on two cores.</li>
 *   <li>{@code quick}: what fits in 15 minutes on two cores — the first 6,000 training samples (the last 1,000 of
 *       them for validation), 3 epochs, depths 1, 3 and 6,
 *       every architecture and method with two steps each (120 runs); training metrics on 2,000 samples.</li>
 * </ul>
 */
public enum Preset {
    QUICK("quick"),
    PAPER("paper");

    private final String key;

    Preset(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** This preset's settings on {@code data}, writing into {@code out}, on {@code workers} parallel runs. */
    public Settings settings(JsonNode data, Path out, int workers) {
        Map<Method, List<Double>> lrs = new LinkedHashMap<>();
        if (this == PAPER) {
            // SGD's and momentum's grids reach higher than quick's, whose best steps sat at the top edge.
            lrs.put(Method.SGD, List.of(10.0, 1.0, 0.1));
            lrs.put(Method.MOMENTUM, List.of(1.0, 0.1, 0.01));
            lrs.put(Method.RMSPROP_KURBIEL, List.of(0.03, 0.01, 0.003));
            lrs.put(Method.RMSPROP, List.of(0.01, 0.001, 0.0001));
            lrs.put(Method.ADAM, List.of(0.01, 0.001, 0.0001));
            return new Settings(key, data, 0, 10_000, 100, List.of(1, 2, 3, 4, 5, 6), List.of(Arch.values()), lrs, 50,
                    100, Integer.MAX_VALUE, 0, workers, out);
        }
        lrs.put(Method.SGD, List.of(1.0, 0.1));
        lrs.put(Method.MOMENTUM, List.of(0.1, 0.01));
        lrs.put(Method.RMSPROP_KURBIEL, List.of(0.03, 0.01));
        lrs.put(Method.RMSPROP, List.of(0.01, 0.001));
        lrs.put(Method.ADAM, List.of(0.01, 0.001));
        return new Settings(key, data, 6_000, 1_000, 100, List.of(1, 3, 6), List.of(Arch.values()), lrs, 3, 100, 2_000,
                0, workers, out);
    }

    public static Preset byKey(String s) {
        for (Preset p : values()) {
            if (p.key.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + s + "' (known: quick, paper)");
    }
}
