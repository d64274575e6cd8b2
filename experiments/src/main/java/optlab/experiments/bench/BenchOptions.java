package optlab.experiments.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import optlab.tensor.DType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Options every {@code optlab bench} subcommand shares (a picocli mixin), with their parsing rules. */
public final class BenchOptions {
    @Option(names = "--threads", paramLabel = "LIST",
            description = "Comma-separated thread counts (default: 1 and all cores).")
    String threads;

    @Option(names = "--dtype", paramLabel = "LIST", defaultValue = "f32,f64",
            description = "Comma-separated dtypes: f32, f64 (default: ${DEFAULT-VALUE}).")
    String dtypes;

    @Option(names = "--quick", description = "Smoke run: 1 fork, 1x0.2 s warm-up, 2x0.2 s measurement; figures are rough.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON list to FILE.")
    Path json;

    List<Integer> threadCounts() {
        if (threads == null) {
            return parseThreads("1," + Runtime.getRuntime().availableProcessors());
        }
        return parseThreads(threads);
    }

    List<DType> dtypeList() {
        return parseDtypes(dtypes);
    }

    /**
     * Creates the JSON file's directory now and checks it is writable, so a bad path fails before
     * a long run rather than after it; returns null when no --json was given.
     */
    Path jsonFile() {
        if (json == null) {
            return null;
        }
        Path dir = json.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("--json: cannot create directory " + dir + " (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir) || Files.isDirectory(json)) {
            throw new IllegalArgumentException("--json: cannot write " + json);
        }
        return json;
    }

    JmhLauncher.Plan plan() {
        return quick ? JmhLauncher.Plan.quick() : JmhLauncher.Plan.standard();
    }

    /** Runs a parse step, turning its IllegalArgumentException into picocli's usage error (exit code 2, message on stderr). */
    static <T> T parsed(CommandSpec spec, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** "1,2,8" to [1, 2, 8] (duplicates dropped); each entry a positive integer. */
    static List<Integer> parseThreads(String list) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String raw : list.split(",", -1)) {
            String s = raw.trim();
            int t;
            try {
                t = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                t = 0;
            }
            if (t < 1) {
                throw new IllegalArgumentException("--threads takes a comma-separated list of positive integers, got '"
                        + list + "' (bad entry '" + s + "')");
            }
            out.add(t);
        }
        return new ArrayList<>(out);
    }

    /** "f32,f64" (any case) to [F32, F64]. */
    static List<DType> parseDtypes(String list) {
        Set<DType> out = new LinkedHashSet<>();
        for (String raw : list.split(",", -1)) {
            String s = raw.trim().toUpperCase(Locale.ROOT);
            try {
                out.add(DType.valueOf(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--dtype takes a comma-separated list of f32, f64; got '" + list
                        + "' (bad entry '" + raw.trim() + "')");
            }
        }
        return new ArrayList<>(out);
    }
}
