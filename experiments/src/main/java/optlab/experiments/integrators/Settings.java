package optlab.experiments.integrators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything the integrators recipe does. The main grid is models × rules × lrs × seeds, each run {@code epochs}
 * epochs of minibatch {@code batch} on the first {@code trainSamples} training samples (0: all), evaluated
 * {@code evalsPerEpoch} times an epoch on the first {@code evalTrainSamples} training samples and the first
 * {@code testSamples} test samples (0: all). The stability ladder is every rule at each lr of {@code ladder} on
 * {@code ladderModels} (indices into models), seed 0, for {@code ladderSteps} steps; a ladder run is unstable
 * when it diverges or its minibatch loss exceeds {@code divergeFactor} × its first.
 *
 * @param rules rule names as {@code Optimizers.parse} reads them (euler, heun, ..., rk23), lr appended per run
 */
public record Settings(String preset, JsonNode data, List<String> models, List<String> rules, List<Double> lrs,
        int seeds, int epochs, int batch, int trainSamples, int testSamples, int evalsPerEpoch, int evalTrainSamples,
        List<Double> ladder, List<Integer> ladderModels, int ladderSteps, double divergeFactor, long seed, int workers,
        Path out) {

    public Settings {
        models = List.copyOf(models);
        rules = List.copyOf(rules);
        lrs = List.copyOf(lrs);
        ladder = List.copyOf(ladder);
        ladderModels = List.copyOf(ladderModels);
        if (models.isEmpty() || rules.isEmpty() || lrs.isEmpty()) {
            throw new IllegalArgumentException("integrators: needs at least one model, one rule and one lr");
        }
        if (seeds < 1 || epochs < 1 || batch < 1 || evalsPerEpoch < 1 || workers < 1 || ladderSteps < 1) {
            throw new IllegalArgumentException("integrators: seeds, epochs, batch, evals per epoch, ladder steps and "
                    + "workers must be >= 1");
        }
        if (trainSamples < 0 || testSamples < 0 || evalTrainSamples < 0) {
            throw new IllegalArgumentException("integrators: sample counts must be >= 0 (0: all)");
        }
        if (!(divergeFactor > 1)) {
            throw new IllegalArgumentException("integrators: the divergence factor must be > 1, got " + divergeFactor);
        }
        for (double lr : lrs) {
            positive(lr);
        }
        for (double lr : ladder) {
            positive(lr);
        }
        for (int m : ladderModels) {
            if (m < 0 || m >= models.size()) {
                throw new IllegalArgumentException("integrators: ladder model " + m + " is not one of the " + models.size()
                        + " models");
            }
        }
    }

    private static void positive(double lr) {
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException("integrators: learning rates must be > 0, got " + lr);
        }
    }

    /** The rule's spec at step size lr (rk23: lr is the first and largest trial step; scipy's tolerances). */
    public static String optimizer(String rule, double lr) {
        return rule + ":lr=" + lrText(lr);
    }

    /** 0.1, not 0.1000000000000000055: the shortest decimal that reads back as lr. */
    public static String lrText(double lr) {
        String s = Double.toString(lr);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** A short model label for ids and figures: its zoo kind (mlp, cnn), numbered when two share a kind. */
    public String modelKey(int i) {
        String kind = kind(models.get(i));
        long same = models.stream().filter(m -> kind(m).equals(kind)).count();
        return same == 1 ? kind : kind + i;
    }

    private static String kind(String spec) {
        int colon = spec.indexOf(':');
        return (colon < 0 ? spec : spec.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    public Settings withOut(Path dir) {
        return new Settings(preset, data, models, rules, lrs, seeds, epochs, batch, trainSamples, testSamples,
                evalsPerEpoch, evalTrainSamples, ladder, ladderModels, ladderSteps, divergeFactor, seed, workers, dir);
    }

    /** As written to recipe.json. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recipe", "integrators");
        o.put("preset", preset);
        o.set("data", data);
        ArrayNode m = o.putArray("models");
        models.forEach(m::add);
        ArrayNode r = o.putArray("rules");
        rules.forEach(r::add);
        ArrayNode l = o.putArray("lrs");
        lrs.forEach(l::add);
        o.put("seeds", seeds);
        o.put("epochs", epochs);
        o.put("batch", batch);
        o.put("train_samples", trainSamples);
        o.put("test_samples", testSamples);
        o.put("evals_per_epoch", evalsPerEpoch);
        o.put("eval_train_samples", evalTrainSamples);
        ArrayNode ld = o.putArray("ladder");
        ladder.forEach(ld::add);
        ArrayNode lm = o.putArray("ladder_models");
        ladderModels.forEach(lm::add);
        o.put("ladder_steps", ladderSteps);
        o.put("diverge_factor", divergeFactor);
        o.put("seed", seed);
        o.put("workers", workers);
        o.put("out", out.toString());
        return o;
    }
}
