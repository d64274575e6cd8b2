package optlab.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.OnBackend;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every {@code optlab run} recipe has, declared once and mixed into each recipe command: the preset to
 * start from, the output folder (resumed when it exists), the data, parallel workers, the seed and the executor
 * ({@link ExecutorOptions}). A recipe that has no use for one rejects it ({@link #reject}).
 */
public final class RecipeOptions {
    @Option(names = "--preset", paramLabel = "quick|paper", description = "Settings to start from (default quick).")
    String preset = "quick";

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/RECIPE-PRESET); an existing one is resumed.")
    Path out;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Training data: fashion-mnist (the default where "
            + "images are used), mnist:DIR, a folder of IDX files, cifar10:DIR, ...; recipe-specific sources are listed in its help.")
    String data;

    @Option(names = "--workers", paramLabel = "N", description = "Runs in parallel, one thread each (default: the cores).")
    Integer workers;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of init, data order and dropout (one for every run).")
    Long seed;

    @Option(names = "--backend", paramLabel = "cpu|cuda", description = "Kernels of every run: cpu (default) or cuda (one"
            + " GPU, one worker unless --workers says otherwise; a recipe whose rules or probes the GPU cannot run yet is"
            + " refused with one sentence, as is a machine without CUDA).")
    String backend = "cpu";

    @Mixin
    ExecutorOptions executor = new ExecutorOptions();

    /**
     * The executor --executor names (local with --workers by default), its SLURM files going under {@code dir}; with
     * --backend cuda its training jobs run there ({@link OnBackend}).
     */
    public Executor executor(Path dir, java.io.PrintStream log) {
        return OnBackend.wrap(executor.create(workers, workers(), dir, log), backend());
    }

    /** --backend, checked: cpu or cuda. */
    public String backend() {
        if (!backend.equals("cpu") && !backend.equals("cuda")) {
            throw new IllegalArgumentException("--backend must be cpu or cuda, got '" + backend + "'");
        }
        return backend;
    }

    /** The preset, checked against the recipe's names. */
    public String preset(List<String> names) {
        if (!names.contains(preset)) {
            throw new IllegalArgumentException("--preset must be one of " + names + ", got '" + preset + "'");
        }
        return preset;
    }

    /** The output folder: --out, or runs/RECIPE-PRESET. */
    public Path out(String recipe) {
        return out != null ? out : Path.of("runs", recipe + "-" + preset);
    }

    /** --workers, or the number of cores (one with --backend cuda: runs share the one GPU); at least 1. */
    public int workers() {
        int w = workers != null ? workers : backend.equals("cuda") ? 1 : Runtime.getRuntime().availableProcessors();
        if (w < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + w);
        }
        return w;
    }

    /**
     * --data as a data spec node (fashion-mnist when absent), checked now: a bare folder, a known name or a JSON
     * object; a bad one fails with the reason before any run starts.
     */
    public com.fasterxml.jackson.databind.JsonNode dataSpec() {
        String d = data != null ? data.trim() : "fashion-mnist";
        com.fasterxml.jackson.databind.JsonNode node = d.startsWith("{")
                ? optlab.experiments.run.RunConfig.readTree(d)
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(d);
        optlab.experiments.run.DataSpec.parse(node, "--data");
        return node;
    }

    /** Fails naming the shared options this recipe does not take, when given. */
    public void reject(String recipe, String... options) {
        for (String o : options) {
            boolean given = switch (o) {
                case "--data" -> data != null;
                case "--workers" -> workers != null;
                case "--seed" -> seed != null;
                case "--backend" -> !backend.equals("cpu");
                default -> throw new IllegalArgumentException(o);
            };
            if (given) {
                throw new IllegalArgumentException(recipe + " does not take " + o);
            }
        }
    }
}
