package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import optlab.experiments.pathsgd.Method;
import optlab.experiments.pathsgd.Preset;
import optlab.experiments.pathsgd.Recipe;
import optlab.experiments.pathsgd.Settings;
import optlab.experiments.run.Unbalancing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optlab run path-sgd}: the Path-SGD paper's comparison with SGD and AdaGrad (see {@link Recipe}). */
@Command(name = "path-sgd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Neyshabur, Salakhutdinov & Srebro (NIPS 2015): a ReLU MLP with two hidden layers trained with "
                + "Path-SGD, SGD and AdaGrad (minibatch 100, no momentum) under balanced and unbalanced init; each "
                + "method's step 10^-alpha chosen per init by validation error on 10,000 samples held out of the "
                + "training set (lowest error after the last epoch, ties to the larger step).",
                "Writes OUT/runs/* (one run folder per grid point), OUT/figure.png/.svg (rows: balanced/unbalanced; "
                        + "columns: training loss, test error), OUT/summary.txt and OUT/summary.json.",
                "Runs in parallel (one thread each) and resumes: the same command again skips finished runs.",
                "Exit status: 0 all runs finished, 1 some failed (figure from the rest), 2 bad options."},
        footer = {"", "Data (--data): fashion-mnist (default), mnist:DIR, a folder of IDX files, cifar10:DIR, cifar100:DIR,",
                "  svhn:DIR (train_32x32.mat, test_32x32.mat).",
                "", "Presets:",
                "  quick  H=500, 3 epochs, alpha 1,2,3 for every method (18 runs; minutes)",
                "  paper  H=4000, 100 epochs, alpha 0..10 for every method (66 runs; days on two cores)",
                "", "Examples:", "  optlab run path-sgd --preset quick",
                "  optlab run path-sgd --preset paper --data mnist:/data/mnist --dropout 0.5 --out runs/mnist-dropout"})
public final class PathSgdCommand implements Callable<Integer> {

    /** --data takes fashion-mnist (default), mnist:DIR, a folder of IDX files, cifar10:DIR, cifar100:DIR, svhn:DIR. */
    @Mixin
    RecipeOptions common = new RecipeOptions();

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout after each hidden ReLU, as in the paper's second set of curves (0.5 there).")
    Double dropout;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the preset's epochs.")
    Integer epochs;

    @Option(names = "--hidden", paramLabel = "H", description = "Override the hidden width (both layers).")
    Integer hidden;

    @Option(names = "--alphas", paramLabel = "A,B,...", split = ",", description = "Override the grid: lr = 10^-alpha for every method.")
    List<Integer> alphas;

    @Option(names = "--methods", paramLabel = "M,...", split = ",", description = "A subset of path-sgd, sgd, adagrad.")
    List<String> methods;

    @Option(names = "--validation", paramLabel = "N", description = "Validation samples held out of the training set (default 10000).")
    Integer validation;

    @Option(names = "--train-eval", paramLabel = "N", description = "Training samples the per-epoch training loss and error use (quick 10000, paper all).")
    Integer trainEval;

    @Option(names = "--units", paramLabel = "N", description = "Unbalanced init: units rescaled per hidden layer, with replacement (default half the width).")
    Integer units;

    @Option(names = "--sigma", paramLabel = "S", description = "Unbalanced init: log-normal spread of the factors c = exp(S*z) (default 2).")
    Double sigma;

    @Override
    public Integer call() {
        return RecipeRun.execute("optlab run path-sgd", this::settings, s -> common.executor(s.out(), System.out), (s, ex) -> {
            Recipe.Result r = Recipe.run(s, ex, System.out);
            return new RecipeRun.Done(r.sweep(), r.files());
        });
    }

    /** The preset with every given option applied; a bad value throws IllegalArgumentException. */
    public Settings settings() {
        Preset p = Preset.byKey(common.preset);
        JsonNode dataNode = common.dataSpec();
        Path dir = common.out != null ? common.out
                : Path.of("runs", "path-sgd-" + p.key() + (dropout != null && dropout > 0 ? "-dropout" : ""));
        Settings s = p.settings(dataNode, dir, common.workers());
        if (methods != null) {
            s = s.withMethods(methods.stream().map(Method::byKey).distinct().toList());
        }
        if (alphas != null) {
            s = s.withAlphas(alphas);
        }
        Unbalancing u = new Unbalancing(units != null ? units : s.unbalancing().units(),
                sigma != null ? sigma : s.unbalancing().sigma());
        return new Settings(s.preset(), s.data(), validation != null ? validation : s.validation(),
                hidden != null ? hidden : s.hidden(), epochs != null ? epochs : s.epochs(), s.alphas(), s.inits(),
                s.batch(), dropout != null ? dropout : s.dropout(), trainEval != null ? trainEval : s.evalTrainSamples(),
                common.seed != null ? common.seed : s.seed(), u, s.workers(), s.out());
    }
}
