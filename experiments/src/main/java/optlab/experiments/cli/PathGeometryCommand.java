package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import optlab.experiments.pathgeometry.Preset;
import optlab.experiments.pathgeometry.Recipe;
import optlab.experiments.pathgeometry.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optlab run path-geometry}: the geometry of optimization paths, "No Wrong Turns" (see {@link Recipe}). */
@Command(name = "path-geometry", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Guille-Escuret, Naganuma, Fatras, Mitliagkas (ICML 2024), 'No Wrong Turns': each run is trained to "
                + "its end point w*, then retraced bit for bit while RSI, EB, cos(-g, w* - w) and the locally optimal lr "
                + "of every step are recorded; studies over architectures (ResNet with/without BatchNorm and skips, MLP, "
                + "muP MLPs at gamma0 0.1/1/10), optimizers (SGD, momentum, Adam), batch sizes (lr ~ sqrt(B)), learning "
                + "rates, widths and seeds.",
                "Writes OUT/runs/* (one geometry run folder each), OUT/cos, rsi, eb, lolr, cos_batch, straight_line "
                        + "(.png/.svg), OUT/summary.json (a list 'runs': config, frac_cos_positive, median_cos, ...) and "
                        + "OUT/summary.txt.",
                "Runs in parallel (one thread each) and resumes: the same command again skips finished runs.",
                "Exit status: 0 all runs finished, 1 some failed (figures from the rest), 2 bad options."},
        footer = {"", "Data (--data): fashion-mnist (default), mnist:DIR, a folder of IDX files, cifar10:DIR, cifar100:DIR.",
                "", "Presets:",
                "  quick  ResNet 1-1-1 width 8, 150 steps, one seed (+2 for the MLP): 19 runs, < 20 min on two cores",
                "  paper  ResNet 2-2-2 width 16, 20 epochs, three seeds of everything, full-batch gradients each epoch",
                "", "Examples:", "  optlab run path-geometry --preset quick",
                "  optlab run path-geometry --preset paper --data cifar10:/data/cifar-10-batches-bin --out runs/geo-cifar"})
public final class PathGeometryCommand implements Callable<Integer> {

    @Mixin
    RecipeOptions common = new RecipeOptions();

    @Option(names = "--steps", paramLabel = "N", description = "Steps per run (replaces the preset's steps or epochs).")
    Long steps;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run (replaces the preset's steps or epochs).")
    Integer epochs;

    @Override
    public Integer call() {
        return RecipeRun.execute("optlab run path-geometry", this::settings, s -> common.executor(s.out(), System.out), (s, ex) -> {
            Recipe.Result r = Recipe.run(s, ex, System.out);
            return new RecipeRun.Done(r.sweep(), r.files());
        });
    }

    /** The preset with every given option applied; a bad value throws IllegalArgumentException. */
    public Settings settings() {
        Preset p = Preset.byKey(common.preset);
        JsonNode data = common.dataSpec();
        Settings s = p.settings(data, common.out("path-geometry"), common.workers());
        if (steps != null && epochs != null) {
            throw new IllegalArgumentException("give --steps or --epochs, not both");
        }
        if (steps != null) {
            s = s.withSteps(steps);
        }
        if (epochs != null) {
            s = s.withEpochs(epochs);
        }
        if (common.seed != null) {
            s = s.withSeed(common.seed);
        }
        return s;
    }
}
