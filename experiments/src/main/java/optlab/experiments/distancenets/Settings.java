package optlab.experiments.distancenets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the distance-network recipe does: the data (a run config's "data" value), the first
 * {@code trainSamples} of its training set (0: all) of which the last {@code validation} are held out, hidden
 * {@code width}, the depths (hidden layers), the architectures, each method's step-size grid, epochs, minibatch,
 * training samples the per-epoch training metrics use, the seed (one for all runs), parallel workers and the
 * output folder. Every (architecture, depth, method, step) is one run.
 */
public record Settings(String preset, JsonNode data, int trainSamples, int validation, int width, List<Integer> depths,
        List<Arch> archs, Map<Method, List<Double>> lrs, int epochs, int batch, int evalTrainSamples, long seed,
        int workers, Path out) {

    public Settings {
        depths = List.copyOf(depths);
        archs = List.copyOf(archs);
        Map<Method, List<Double>> copy = new LinkedHashMap<>();
        lrs.forEach((m, l) -> copy.put(m, List.copyOf(l)));
        lrs = Collections.unmodifiableMap(copy);
        if (width < 1 || epochs < 1 || batch < 1 || workers < 1 || validation < 1 || trainSamples < 0) {
            throw new IllegalArgumentException("distance-nets: width, epochs, batch, workers and validation must be >= 1");
        }
        if (trainSamples > 0 && validation >= trainSamples) {
            throw new IllegalArgumentException("distance-nets: --validation " + validation + " leaves nothing of the "
                    + trainSamples + " training samples to train on");
        }
        if (depths.isEmpty() || archs.isEmpty() || lrs.isEmpty() || lrs.values().stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("distance-nets: needs a depth, an architecture, a method and a step per method");
        }
        for (int d : depths) {
            if (d < 1 || d > 64) {
                throw new IllegalArgumentException("distance-nets: depths must be in [1, 64] hidden layers, got " + d);
            }
        }
        for (List<Double> l : lrs.values()) {
            for (double lr : l) {
                if (!(lr > 0 && lr < 1e3)) {
                    throw new IllegalArgumentException("distance-nets: step sizes must be in (0, 1000), got " + lr);
                }
            }
        }
    }

    public List<Method> methods() {
        return new ArrayList<>(lrs.keySet());
    }

    /** Only {@code methods} (in the given order), each keeping its grid (or the first method's when it had none). */
    public Settings withMethods(List<Method> methods) {
        Map<Method, List<Double>> m = new LinkedHashMap<>();
        List<Double> fallback = lrs.values().iterator().next();
        methods.forEach(k -> m.put(k, lrs.getOrDefault(k, fallback)));
        return new Settings(preset, data, trainSamples, validation, width, depths, archs, m, epochs, batch,
                evalTrainSamples, seed, workers, out);
    }

    /** Every method on the step grid {@code grid}. */
    public Settings withLrs(List<Double> grid) {
        Map<Method, List<Double>> m = new LinkedHashMap<>();
        lrs.keySet().forEach(k -> m.put(k, grid));
        return new Settings(preset, data, trainSamples, validation, width, depths, archs, m, epochs, batch,
                evalTrainSamples, seed, workers, out);
    }

    /** As written to recipe.json. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recipe", "distance-nets");
        o.put("preset", preset);
        o.set("data", data);
        o.put("train_samples", trainSamples);
        o.put("validation", validation);
        o.put("width", width);
        depths.forEach(o.putArray("depths")::add);
        var a = o.putArray("archs");
        archs.forEach(x -> a.add(x.key()));
        ObjectNode l = o.putObject("lrs");
        lrs.forEach((m, g) -> g.forEach(l.putArray(m.key())::add));
        o.put("epochs", epochs);
        o.put("batch", batch);
        o.put("eval_train_samples", evalTrainSamples);
        o.put("seed", seed);
        o.put("workers", workers);
        o.put("out", out.toString());
        return o;
    }
}
