package optlab.experiments.pathsgd;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import optlab.experiments.run.Unbalancing;

/**
 * Named settings of the recipe.
 * <ul>
 *   <li>{@code quick}: H = 500, 3 epochs, the coarse grid α ∈ {1, 2, 3} for every method (a one-epoch pilot
 *       at H = 1000 on Fashion-MNIST put each method's best step inside it: Path-SGD and SGD at α = 2 and 1 under
 *       balanced init, SGD diverging at α = 1 under unbalanced init); training loss and error measured on the first
 *       10,000 training samples. 18 runs, a few minutes on two cores.</li>
 *   <li>{@code paper}: the paper's protocol — H = 4000, every method on α ∈ {0, ..., 10}, training metrics on the
 *       whole training split, 100 epochs (the paper's curves' span; adjust with --epochs). 66 runs of a
 *       19.2M-parameter MLP: days on two cores.</li>
 * </ul>
 * Both: minibatch 100, no momentum, 10,000 validation samples held out of the training set, seed 0, the
 * unbalanced init rescaling half of each hidden layer's units (the paper: 2000 of 4000) with log-normal σ = 2.
 */
public enum Preset {
    QUICK("quick", 500, 3, Map.of(Method.PATH_SGD, List.of(1, 2, 3), Method.SGD, List.of(1, 2, 3),
            Method.ADAGRAD, List.of(1, 2, 3)), 10_000),
    PAPER("paper", 4000, 100, Map.of(Method.PATH_SGD, range(0, 10), Method.SGD, range(0, 10),
            Method.ADAGRAD, range(0, 10)), Integer.MAX_VALUE);

    private final String key;
    private final int hidden;
    private final int epochs;
    private final Map<Method, List<Integer>> alphas;
    private final int evalTrainSamples;

    Preset(String key, int hidden, int epochs, Map<Method, List<Integer>> alphas, int evalTrainSamples) {
        this.key = key;
        this.hidden = hidden;
        this.epochs = epochs;
        this.alphas = alphas;
        this.evalTrainSamples = evalTrainSamples;
    }

    public String key() {
        return key;
    }

    /** This preset's settings on {@code data}, writing into {@code out}, on {@code workers} parallel runs. */
    public Settings settings(JsonNode data, Path out, int workers) {
        Map<Method, List<Integer>> grid = new LinkedHashMap<>();
        for (Method m : Method.values()) {
            grid.put(m, alphas.get(m));
        }
        return new Settings(key, data, 10_000, hidden, epochs, grid, List.of(InitKind.values()), 100, 0,
                evalTrainSamples, 0, Unbalancing.DEFAULT, workers, out);
    }

    public static Preset byKey(String s) {
        for (Preset p : values()) {
            if (p.key.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + s + "' (known: quick, paper)");
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
