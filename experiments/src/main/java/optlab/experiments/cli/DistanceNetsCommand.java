package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import optlab.experiments.distancenets.Arch;
import optlab.experiments.distancenets.Method;
import optlab.experiments.distancenets.Preset;
import optlab.experiments.distancenets.Recipe;
import optlab.experiments.distancenets.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optlab run distance-nets}: Kurbiel and Khaleghian's distance networks under RMSProp (see {@link Recipe}). */
@Command(name = "distance-nets", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kurbiel & Khaleghian (arXiv 1708.01911): networks of Gaussian distance layers of 1 to 6 hidden "
                + "layers of 100 against ReLU and sigmoid MLPs and a ReLU body with a distance output, trained with SGD, "
                + "momentum SGD, the authors' RMSProp (compound 1/(1 + 0.01 e) decay, L2 1e-3/B), torch's RMSprop and "
                + "Adam; each step chosen per architecture, depth and method by validation error.",
                "Writes OUT/runs/* (one run folder per grid point, with grad_norms.csv), OUT/curves.png, OUT/archs.png, "
                        + "OUT/gradients.png (and .svg), OUT/summary.txt (final test error, depth x method) and "
                        + "OUT/summary.json.",
                "Runs in parallel (one thread each) and resumes: the same command again skips finished runs.",
                "Exit status: 0 all runs finished, 1 some failed (figures from the rest), 2 bad options."},
        footer = {"", "Data (--data): fashion-mnist (default), mnist:DIR, a folder of IDX files.",
                "", "Presets:",
                "  quick  the first 6,000 training samples, 3 epochs, depths 1,3,6, two steps per method (minutes)",
                "  paper  all training samples, 50 epochs, depths 1..6, three steps per method (days on two cores)",
                "", "Examples:", "  optlab run distance-nets --preset quick",
                "  optlab run distance-nets --preset paper --data mnist:/data/mnist --archs distance --out runs/dn-mnist"})
public final class DistanceNetsCommand implements Callable<Integer> {

    @Mixin
    RecipeOptions common = new RecipeOptions();

    @Option(names = "--epochs", paramLabel = "N", description = "Override the preset's epochs.")
    Integer epochs;

    @Option(names = "--depths", paramLabel = "D,...", split = ",", description = "Hidden layers (each of --width units).")
    List<Integer> depths;

    @Option(names = "--width", paramLabel = "H", description = "Hidden width (default 100).")
    Integer width;

    @Option(names = "--archs", paramLabel = "A,...", split = ",", description = "A subset of distance, relu, sigmoid, mlp-distance.")
    List<String> archs;

    @Option(names = "--methods", paramLabel = "M,...", split = ",", description = "A subset of sgd, momentum, rmsprop-kurbiel, rmsprop, adam.")
    List<String> methods;

    @Option(names = "--lrs", paramLabel = "LR,...", split = ",", description = "Override the step grid: these steps for every method.")
    List<Double> lrs;

    @Option(names = "--train", paramLabel = "N", description = "Use the first N training samples (0: all; quick 6000).")
    Integer train;

    @Option(names = "--validation", paramLabel = "N", description = "Validation samples held out of the training samples (quick 1000, paper 10000).")
    Integer validation;

    @Option(names = "--train-eval", paramLabel = "N", description = "Training samples the per-epoch training loss and error use.")
    Integer trainEval;

    @Override
    public Integer call() {
        return RecipeRun.execute("optlab run distance-nets", this::settings, s -> common.executor(s.out(), System.out), (s, ex) -> {
            Recipe.Result r = Recipe.run(s, ex, System.out);
            return new RecipeRun.Done(r.sweep(), r.files());
        });
    }

    /** The preset with every given option applied; a bad value throws IllegalArgumentException. */
    public Settings settings() {
        Preset p = Preset.byKey(common.preset);
        JsonNode dataNode = common.dataSpec();
        Settings s = p.settings(dataNode, common.out("distance-nets"), common.workers());
        if (methods != null) {
            s = s.withMethods(methods.stream().map(Method::byKey).distinct().toList());
        }
        if (lrs != null) {
            s = s.withLrs(lrs);
        }
        return new Settings(s.preset(), s.data(), train != null ? train : s.trainSamples(),
                validation != null ? validation : s.validation(), width != null ? width : s.width(),
                depths != null ? depths : s.depths(),
                archs != null ? archs.stream().map(Arch::byKey).distinct().toList() : s.archs(), s.lrs(),
                epochs != null ? epochs : s.epochs(), s.batch(), trainEval != null ? trainEval : s.evalTrainSamples(),
                common.seed != null ? common.seed : s.seed(), s.workers(), s.out());
    }
}
