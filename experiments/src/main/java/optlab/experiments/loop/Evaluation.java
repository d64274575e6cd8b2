package optlab.experiments.loop;

import java.util.Map;
import optlab.experiments.run.Metrics;

/**
 * An evaluation of the loop: after {@code step} updates, the metrics per split ("train", "test", "validation", as
 * the run measures them; absent splits are not in the map).
 */
public record Evaluation(long step, double epoch, Map<String, Metrics> metrics) {
    public Evaluation {
        metrics = Map.copyOf(metrics);
    }

    /** The split's metrics, or {@link Metrics#NONE}. */
    public Metrics get(String split) {
        return metrics.getOrDefault(split, Metrics.NONE);
    }
}
