package optlab.experiments.pathsgd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.experiments.run.Unbalancing;

/**
 * Everything the Path-SGD recipe does: the data (a run config's "data" value; {@code validation} samples of its
 * training set are held out), the 784-H-H-10 ReLU MLP (input and classes from the data), epochs, each method's
 * grid of α (step size 10^-α), the inits, minibatch, dropout after each hidden ReLU, how many training samples the
 * per-epoch training loss and error are measured on, the seed (one for all runs), the unbalancing, the parallel
 * workers (each run on one thread) and the output folder.
 */
public record Settings(String preset, JsonNode data, int validation, int hidden, int epochs,
        Map<Method, List<Integer>> alphas, List<InitKind> inits, int batch, double dropout, int evalTrainSamples,
        long seed, Unbalancing unbalancing, int workers, Path out) {

    public Settings {
        alphas = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(alphas));
        inits = List.copyOf(inits);
        if (hidden < 1 || epochs < 1 || batch < 1 || workers < 1 || validation < 1) {
            throw new IllegalArgumentException("path-sgd: hidden, epochs, batch, workers and validation must be >= 1");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("path-sgd: dropout must be in [0, 1), got " + dropout);
        }
        if (alphas.isEmpty() || alphas.values().stream().anyMatch(List::isEmpty) || inits.isEmpty()) {
            throw new IllegalArgumentException("path-sgd: needs at least one method, one alpha per method and one init");
        }
        for (List<Integer> as : alphas.values()) {
            for (int a : as) {
                if (a < 0 || a > 20) {
                    throw new IllegalArgumentException("path-sgd: alpha must be in [0, 20] (lr = 10^-alpha), got " + a);
                }
            }
        }
    }

    /** Step size 10^-α, written as the decimal it is (1e-3, not 0.0010000000000000002). */
    public static double lr(int alpha) {
        return Double.parseDouble("1e-" + alpha);
    }

    /** The same settings with every method on {@code grid}. */
    public Settings withAlphas(List<Integer> grid) {
        Map<Method, List<Integer>> m = new LinkedHashMap<>();
        alphas.keySet().forEach(k -> m.put(k, List.copyOf(grid)));
        return new Settings(preset, data, validation, hidden, epochs, m, inits, batch, dropout, evalTrainSamples, seed,
                unbalancing, workers, out);
    }

    /** Only {@code methods} (in the given order), each keeping its grid. */
    public Settings withMethods(List<Method> methods) {
        Map<Method, List<Integer>> m = new LinkedHashMap<>();
        List<Integer> fallback = alphas.values().iterator().next();
        for (Method k : methods) {
            m.put(k, alphas.getOrDefault(k, fallback));
        }
        return new Settings(preset, data, validation, hidden, epochs, m, inits, batch, dropout, evalTrainSamples, seed,
                unbalancing, workers, out);
    }

    public List<Method> methods() {
        return new ArrayList<>(alphas.keySet());
    }

    /** As written to recipe.json. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recipe", "path-sgd");
        o.put("preset", preset);
        o.set("data", data);
        o.put("validation", validation);
        o.put("hidden", hidden);
        o.put("epochs", epochs);
        ObjectNode a = o.putObject("alphas");
        alphas.forEach((m, as) -> {
            var arr = a.putArray(m.key());
            as.forEach(arr::add);
        });
        var in = o.putArray("inits");
        inits.forEach(i -> in.add(i.key()));
        o.put("batch", batch);
        o.put("dropout", dropout);
        o.put("eval_train_samples", evalTrainSamples);
        o.put("seed", seed);
        ObjectNode u = o.putObject("unbalanced");
        u.put("units", unbalancing.units());
        u.put("sigma", unbalancing.sigma());
        o.put("workers", workers);
        o.put("out", out.toString());
        return o;
    }
}
