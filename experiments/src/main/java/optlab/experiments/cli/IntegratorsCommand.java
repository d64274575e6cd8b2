package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import optlab.experiments.integrators.Preset;
import optlab.experiments.integrators.Recipe;
import optlab.experiments.integrators.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optlab run integrators}: gradient descent as a numerical integrator (see {@link Recipe}). */
@Command(name = "integrators", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ma et al. (arXiv 2409.04707): SGD is forward Euler on the gradient flow; higher-order rules "
                + "(heun, midpoint, ralston, rk4, ab2, ab3, adaptive rk23) against it on an MLP and a CNN, every rule at "
                + "the same lrs and seeds: training loss and test accuracy at equal epochs and at equal gradient "
                + "evaluations, spread over seeds, wall time and gradient evaluations per epoch, and the largest lr each "
                + "rule survives on a ladder. Plus Euler's modified flow L + (h/4)|grad L|^2 on a tiny net.",
                "Writes OUT/runs/*, OUT/ladder/* (run folders), OUT/figure.png/.svg, OUT/modified_flow.png/.svg, "
                        + "OUT/summary.txt and OUT/summary.json.",
                "Runs in parallel (one thread each) and resumes: the same command again skips finished runs.",
                "Exit status: 0 all runs finished, 1 some failed (figures from the rest), 2 bad options."},
        footer = {"", "Data (--data): fashion-mnist (default), mnist:DIR, a folder of IDX files, cifar10:DIR (give --models",
                "  for other input shapes), or a run config's data object as JSON ({\"source\": \"gaussian-mixture\", ...}).",
                "", "Presets:",
                "  quick  MLP 784-256-256-10 and CNN conv=8-16,fc=32 on 4,800/1,000 samples, 2 epochs, lr 0.1 and 0.3,",
                "         5 seeds, ladder on the MLP (232 runs; under 15 minutes on 2 cores)",
                "  paper  MLP and CNN conv=16-32,fc=64 on all of Fashion-MNIST, 20 epochs, lr 0.02..0.5, ladder on both",
                "", "Examples:", "  optlab run integrators --preset quick",
                "  optlab run integrators --preset paper --rules euler,heun,rk4 --workers 16"})
public final class IntegratorsCommand implements Callable<Integer> {

    @Mixin
    RecipeOptions common = new RecipeOptions();

    @Option(names = "--rules", paramLabel = "R,...", split = ",", description = "A subset of euler, heun, midpoint, ralston, rk4, ab2, ab3, rk23 (or rk:... specs without lr).")
    List<String> rules;

    @Option(names = "--lrs", paramLabel = "LR,...", split = ",", description = "Override the lr grid.")
    List<Double> lrs;

    @Option(names = "--models", paramLabel = "SPEC;...", split = ";", description = "Override the models (zoo specs, ';'-separated).")
    List<String> models;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the preset's epochs.")
    Integer epochs;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per grid point (default 5).")
    Integer seeds;

    @Option(names = "--train-samples", paramLabel = "N", description = "First N training samples of a named dataset (0: all).")
    Integer trainSamples;

    @Option(names = "--ladder", paramLabel = "LR,...", split = ",", description = "Override the stability ladder's lrs.")
    List<Double> ladder;

    @Override
    public Integer call() {
        return RecipeRun.execute("optlab run integrators", this::settings, s -> common.executor(s.out(), System.out), (s, ex) -> {
            Recipe.Result r = Recipe.run(s, ex, System.out);
            return new RecipeRun.Done(r.sweep(), r.files());
        });
    }

    /** The preset with every given option applied; a bad value throws IllegalArgumentException. */
    public Settings settings() {
        Preset p = Preset.byKey(common.preset(List.of("quick", "paper")));
        JsonNode data = common.dataSpec();
        Settings s = p.settings(data, common.out("integrators"), common.workers());
        return new Settings(s.preset(), s.data(), models != null ? models : s.models(), rules != null ? rules : s.rules(),
                lrs != null ? lrs : s.lrs(), seeds != null ? seeds : s.seeds(), epochs != null ? epochs : s.epochs(),
                s.batch(), trainSamples != null ? trainSamples : s.trainSamples(), s.testSamples(), s.evalsPerEpoch(),
                s.evalTrainSamples(), ladder != null ? ladder : s.ladder(), s.ladderModels(), s.ladderSteps(),
                s.divergeFactor(), common.seed != null ? common.seed : s.seed(), s.workers(), s.out());
    }
}
