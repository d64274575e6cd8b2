package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import optlab.experiments.gammaeta.Settings;
import optlab.experiments.gammaeta.Recipe;
import optlab.experiments.gammaeta.Presets;
import optlab.experiments.run.ConfigException;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.SweepDeferred;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code optlab run gamma-eta} (also {@code optlab sweep gamma-eta}, its older name): the (γ0, η0) sweep of Atanasov et al. (ICLR 2025) under μP. Flags override the
 * preset's fields before the spec is checked, so a bad flag is reported like a bad field.
 */
@Command(name = "gamma-eta", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sweeps the feature-learning strength gamma0 (two per decade) and, for each, the learning rate "
                + "eta0 downward from a high value (two per decade): the first eta0 whose run stays finite is eta_max; "
                + "the scan goes on --decades-below decades further and stops. Runs are online (every sample fresh), "
                + "one per core, each finished run kept, so an interrupted sweep resumes where it stopped.",
                "Writes DIR/summary.json (eta_max per gamma0, slope_small_gamma and slope_large_gamma: log-log slopes "
                        + "of eta_max on each side of gamma0 = 1 with confidence intervals, depth), DIR/phase.png/.svg, "
                        + "DIR/curves_steps and curves_tau (loss curves at eta_max against steps and tau = eta0 t / gamma0), "
                        + "DIR/hessian (top Hessian eigenvalue against gamma0) and a folder per run under DIR/runs.",
                "Exit status: 0 done, 1 some runs failed, 2 bad options."},
        footer = {"", "Data (--data): teacher-student, fashion-mnist, mnist:DIR, cifar10:DIR (default: the preset's).",
                "", "Presets:",
                "  quick  muP MLP 32-128-128-1 (L = 3), teacher-student stream, MSE,",
                "         batch 64, 2000 steps, gamma0 1e-3..1e3, eta0 from 1e4: minutes",
                "         on 2 cores; expected slopes 2 (gamma0 < 1), 2/3 (gamma0 > 1)",
                "  paper  gamma0 1e-5..1e5, augmented Fashion-MNIST, 20000 steps,",
                "         --arch mlp|cnn|resnet|vit",
                "", "Example:", "  optlab run gamma-eta --preset quick --out runs/gamma-quick",
                "", "'optlab sweep gamma-eta' is the same command under its older name."})
public final class GammaEtaCommand implements Callable<Integer> {

    /** --data: teacher-student, fashion-mnist, mnist:DIR, cifar10:DIR (default: the preset's). */
    @Mixin
    RecipeOptions common = new RecipeOptions();

    @Spec
    CommandSpec cmd;

    @Option(names = "--spec", paramLabel = "FILE", description = "A sweep.json to run instead of a preset (flags still override it).")
    Path specFile;

    @Option(names = "--arch", paramLabel = "ARCH", description = "mlp (default), cnn, resnet or vit.")
    String arch = "mlp";

    @Option(names = "--width", paramLabel = "N", description = "Hidden width N (default: the preset's).")
    Integer width;

    @Option(names = "--loss", paramLabel = "mse|ce", description = "Training loss (default mse).")
    String loss;

    @Option(names = "--steps", paramLabel = "T", description = "SGD steps per run.")
    Long steps;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size.")
    Integer batch;

    @Option(names = "--gamma-range", paramLabel = "LO:HI", description = "log10 range of gamma0, e.g. -3:3.")
    String gammaRange;

    @Option(names = "--eta-top", paramLabel = "LOG10", description = "log10 of the first (highest) eta0.")
    Double etaTop;

    @Option(names = "--eta-floor", paramLabel = "LOG10", description = "log10 of the lowest eta0 ever run (default -14).")
    Double etaFloor;

    @Option(names = "--decades-below", paramLabel = "D", description = "Decades scanned below eta_max (default 3).")
    Integer decadesBelow;

    @Option(names = "--ce-to-floor", description = "Cross-entropy at gamma0 < 1: scan on down to the floor of eta0.")
    boolean ceToFloor;

    @Option(names = "--hessian-iterations", paramLabel = "K", description = "Power iterations for the top Hessian eigenvalue (0: none).")
    Integer hessian;

    @Option(names = "--diverge-above", paramLabel = "K", description = "Also count a run as diverged when a training "
            + "loss exceeds K times its first loss (default: only NaN/Inf; use with cross-entropy, whose loss stays finite).")
    Double divergeAbove;

    @Option(names = "--test-samples", paramLabel = "N", description = "Evaluate each run on the first N test samples "
            + "(default: the whole test set; a full 10k-image evaluation at every 1-2-5 point dominates short ResNet runs).")
    Integer testSamples;

    @Option(names = "--print-spec", description = "Print the sweep spec (JSON) and exit without running.")
    boolean printSpec;

    @Override
    public Integer call() {
        Settings spec;
        try {
            spec = Settings.parse(specJson());
        } catch (IllegalArgumentException e) { // ConfigException included
            System.err.println(cmd.qualifiedName() + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println(cmd.qualifiedName() + ": cannot read " + specFile + ": " + e.getMessage());
            return 2;
        }
        if (printSpec) {
            System.out.println(spec.toJson().toPrettyString());
            return 0;
        }
        Path dir = common.out("gamma-eta");
        Executor executor;
        try {
            executor = common.executor(dir, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(cmd.qualifiedName() + ": " + e.getMessage());
            return 2;
        }
        try {
            Recipe.Outcome o = new Recipe(spec, dir, executor, System.out).run();
            o.figures().forEach(f -> System.out.println("figure " + f));
            return o.failedChains() > 0 ? 1 : 0;
        } catch (SweepDeferred d) {
            System.out.println(cmd.qualifiedName() + ": " + d.getMessage());
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(cmd.qualifiedName() + ": " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            System.err.println(cmd.qualifiedName() + ": failed: " + e + " (finished runs are kept in " + dir + ")");
            return 1;
        }
    }

    /** The preset (or spec file) with every given flag written over its field. */
    ObjectNode specJson() throws IOException {
        String preset = common.preset;
        String data = common.data;
        Long seed = common.seed;
        if (!Presets.NAMES.contains(preset)) {
            throw new ConfigException("", "--preset must be one of " + Presets.NAMES + ", got '" + preset + "'");
        }
        if (!Presets.ARCHS.contains(arch)) {
            throw new ConfigException("", "--arch must be one of " + Presets.ARCHS + ", got '" + arch + "'");
        }
        if (width != null && width < 1) {
            throw new ConfigException("", "--width must be >= 1, got " + width);
        }
        boolean images = data != null && !data.equals("teacher-student");
        ObjectNode o;
        if (specFile != null) {
            JsonNode n = new ObjectMapper().readTree(Files.readString(specFile));
            if (!(n instanceof ObjectNode obj)) {
                throw new ConfigException("", specFile + " is not a JSON object");
            }
            o = obj;
        } else {
            // The quick preset on images keeps its grid but takes the image model.
            o = Presets.of(preset, arch, width == null ? 0 : width);
            if (images && preset.equals("quick")) {
                ((ObjectNode) o.get("run")).put("model", Presets.of("paper", arch, width == null ? 128 : width)
                        .path("run").path("model").asText());
            }
        }
        ObjectNode run = object(o, "run");
        if (data != null) {
            if (data.equals("teacher-student")) {
                run.putObject("data").put("source", "teacher-student");
            } else {
                run.put("data", data);
            }
        }
        if (loss != null) {
            run.put("loss", loss);
        }
        if (steps != null) {
            run.put("steps", steps);
        }
        if (batch != null) {
            run.put("batch_size", batch);
        }
        if (hessian != null) {
            run.put("hessian_iterations", hessian);
        }
        if (divergeAbove != null) {
            run.put("diverge_above", divergeAbove);
        }
        if (testSamples != null) {
            run.put("test_samples", testSamples);
        }
        if (seed != null) {
            run.put("seed", seed);
        }
        if (gammaRange != null) {
            String[] p = gammaRange.split(":");
            try {
                if (p.length != 2) {
                    throw new NumberFormatException();
                }
                object(o, "gamma0").put("from", Double.parseDouble(p[0])).put("to", Double.parseDouble(p[1]));
            } catch (NumberFormatException e) {
                throw new ConfigException("gamma0", "--gamma-range must be LO:HI in log10 units, e.g. -3:3, got '" + gammaRange + "'");
            }
        }
        if (etaTop != null) {
            object(o, "eta0").put("top", etaTop);
        }
        if (etaFloor != null) {
            object(o, "eta0").put("floor", etaFloor);
        }
        if (decadesBelow != null) {
            object(o, "eta0").put("decades_below", decadesBelow);
        }
        if (ceToFloor) {
            object(o, "eta0").put("ce_to_floor", true);
        }
        return o;
    }

    /** The object field {@code name} of {@code o}, created when absent. */
    private static ObjectNode object(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n instanceof ObjectNode obj) {
            return obj;
        }
        if (n != null && !n.isNull()) {
            throw new ConfigException(name, "expected a JSON object");
        }
        return o.putObject(name);
    }
}
