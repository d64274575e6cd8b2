package optlab.experiments.integrators;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Named settings of the recipe. Both: the eight rules euler, heun, midpoint, ralston, rk4, ab2, ab3, rk23 (scipy's
 * tolerances), 5 seeds, minibatch 100, loss above 3 × the first counts as diverged, the
 * ladder lr = 0.5·√2^k up to 8 (nine rungs, finer than the 2.79/2 ≈ 1.4 between RK4's and Euler's real-axis
 * stability intervals).
 * <ul>
 *   <li>{@code quick}: the MLP 784-256-256-10 and a small CNN (conv 8-16, fc 32) on the first 4,800 training and
 *       1,000 test samples, 2 epochs (96 steps), lr ∈ {0.1, 0.3}, evaluated every half epoch (where rk4 and heun
 *       reach Euler's whole budget) on the test samples and 1,000 training samples; the ladder on the MLP, 40 steps.
 *       160 grid runs + 72 ladder runs, sized to finish in under 15 minutes on 2 cores (the first try, 2,000
 *       evaluation samples 4 times an epoch, spent more on evaluating the CNN than on training it).</li>
 *   <li>{@code paper}: the MLP and the CNN of the issue (conv 16-32, fc 64) on all of Fashion-MNIST, 20 epochs,
 *       lr ∈ {0.02, 0.05, 0.1, 0.2, 0.5}, 4 evaluations an epoch, training metrics on 10,000 samples, the ladder on
 *       both models, 200 steps.
 *       800 grid runs: days on two cores.</li>
 * </ul>
 */
public enum Preset {
    QUICK("quick", List.of("mlp:784-256-256-10", "cnn:in=1x28x28,conv=8-16,fc=32"), List.of(0.1, 0.3), 2, 4800, 1000,
            1000, 2, List.of(0), 40),
    PAPER("paper", List.of("mlp:784-256-256-10", "cnn:in=1x28x28,conv=16-32,fc=64"), List.of(0.02, 0.05, 0.1, 0.2, 0.5),
            20, 0, 0, 10_000, 4, List.of(0, 1), 200);

    /** The rules compared, Euler (= SGD) first. */
    public static final List<String> RULES = List.of("euler", "heun", "midpoint", "ralston", "rk4", "ab2", "ab3", "rk23");
    /** 0.5·√2^k, k = 0..8, rounded to three digits. */
    public static final List<Double> LADDER = List.of(0.5, 0.707, 1.0, 1.41, 2.0, 2.83, 4.0, 5.66, 8.0);

    private final String key;
    private final List<String> models;
    private final List<Double> lrs;
    private final int epochs, trainSamples, testSamples, evalTrainSamples, evalsPerEpoch;
    private final List<Integer> ladderModels;
    private final int ladderSteps;

    Preset(String key, List<String> models, List<Double> lrs, int epochs, int trainSamples, int testSamples,
           int evalTrainSamples, int evalsPerEpoch, List<Integer> ladderModels, int ladderSteps) {
        this.key = key;
        this.models = models;
        this.lrs = lrs;
        this.epochs = epochs;
        this.trainSamples = trainSamples;
        this.testSamples = testSamples;
        this.evalTrainSamples = evalTrainSamples;
        this.evalsPerEpoch = evalsPerEpoch;
        this.ladderModels = ladderModels;
        this.ladderSteps = ladderSteps;
    }

    public String key() {
        return key;
    }

    /** This preset's settings on {@code data}, writing into {@code out}, on {@code workers} parallel runs. */
    public Settings settings(JsonNode data, Path out, int workers) {
        return new Settings(key, data, models, RULES, lrs, 5, epochs, 100, trainSamples, testSamples, evalsPerEpoch,
                evalTrainSamples, LADDER, ladderModels, ladderSteps, 3, 0, workers, out);
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
