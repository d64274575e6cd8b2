package optlab.experiments.bench;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs one JMH benchmark method with fixed parameters through the Runner API and returns the score
 * of each fork. JMH starts forks with {@code -cp <java.class.path>}, which is empty when optlab runs
 * on the module path; forks therefore get the module path's jars as their class path (they run our
 * modules unnamed) plus the flags every optlab JVM needs. JMH's own log is kept and shown only when
 * a run fails, so the console carries one line per measurement.
 */
final class JmhLauncher {
    /** Forks, warm-up and measurement iterations of every benchmark in a run. */
    record Plan(int forks, int warmupIterations, int warmupMillis, int measureIterations, int measureMillis) {
        /** 3 forks of 2×0.5 s warm-up and 3×0.5 s measurement: enough to see fork-to-fork spread. */
        static Plan standard() {
            return new Plan(3, 2, 500, 3, 500);
        }

        /** A smoke run: one fork, short iterations. */
        static Plan quick() {
            return new Plan(1, 1, 200, 2, 200);
        }

        /** Rough wall time of one benchmark, counting about a second to start and set up a fork. */
        double seconds() {
            return forks * (1.0 + (warmupIterations * warmupMillis + measureIterations * measureMillis) / 1000.0);
        }

        /** The log line announcing {@code runs} benchmarks under this plan and their rough duration. */
        String describe(int runs) {
            return String.format(java.util.Locale.ROOT,
                    "plan     %d benchmarks x %d fork(s), warm-up %dx%d ms, measure %dx%d ms: about %.0f min", runs, forks,
                    warmupIterations, warmupMillis, measureIterations, measureMillis, Math.ceil(runs * seconds() / 60));
        }
    }

    private JmhLauncher() {
    }

    /**
     * Runs {@code benchmark.method} with the given {@code @Param} values and returns each fork's score
     * (JMH's primary result: invocations per second in throughput mode).
     *
     * @throws Failure with JMH's log when a fork fails (e.g. a result check in setup)
     */
    static ForkScores run(Plan plan, Class<?> benchmark, String method, Map<String, String> params) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                .forks(plan.forks())
                .warmupIterations(plan.warmupIterations())
                .warmupTime(TimeValue.milliseconds(plan.warmupMillis()))
                .measurementIterations(plan.measureIterations())
                .measurementTime(TimeValue.milliseconds(plan.measureMillis()))
                .jvmArgs(forkJvmArgs().toArray(String[]::new))
                .shouldFailOnError(true);
        params.forEach((k, v) -> options.param(k, v));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunResult result;
        synchronized (JmhLauncher.class) {
            String classPath = System.getProperty("java.class.path");
            // JMH reads this property to build the fork's -cp; the running JVM no longer uses it.
            System.setProperty("java.class.path", forkClassPath());
            try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
                result = new Runner(options.build(), OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL))
                        .runSingle();
            } catch (RunnerException | RuntimeException e) {
                throw new Failure(method + " " + params, e, log.toString(StandardCharsets.UTF_8));
            } finally {
                System.setProperty("java.class.path", classPath == null ? "" : classPath);
            }
        }
        List<Double> perFork = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            perFork.add(fork.getPrimaryResult().getScore());
        }
        return new ForkScores(perFork);
    }

    /** A failed run: the message is the fork's exception line (e.g. a failed result check), the log JMH's output. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final Pattern EXCEPTION_LINE = Pattern.compile("^[\\w.$]+(Exception|Error)(: .*)?$", Pattern.MULTILINE);

        private final String log;

        Failure(String what, Throwable cause, String log) {
            super(what + ": " + firstException(log, cause), cause);
            this.log = log;
        }

        String log() {
            return log;
        }

        /** JMH refused to start because another JMH run on this machine holds its lock file. */
        boolean lockBusy() {
            return getMessage().contains("Unable to acquire the JMH lock");
        }

        private static String firstException(String log, Throwable cause) {
            Matcher m = EXCEPTION_LINE.matcher(log);
            return m.find() ? m.group() : String.valueOf(cause.getMessage());
        }
    }

    /**
     * The fork's class path: every jar of {@code jdk.module.path} (directories of jars expanded,
     * exploded module directories kept), then the class path (where a test runner puts what no
     * module requires, such as JMH's own dependencies).
     */
    static String forkClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        String modulePath = System.getProperty("jdk.module.path", "");
        for (String entry : modulePath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            List<String> jars = jarsIn(p);
            if (jars.isEmpty()) {
                entries.add(p.toString());
            } else {
                entries.addAll(jars);
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list module path directory " + dir, e);
        }
    }

    /**
     * Flags for forks: what the launcher passes (vector API, native access, GC), any -Doptlab.*
     * setting, and leave for JMH's own use of sun.misc.Unsafe (which would print warnings).
     */
    static List<String> forkJvmArgs() {
        List<String> args = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "--sun-misc-unsafe-memory-access=allow"));
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("optlab."))
                .sorted()
                .forEach(k -> args.add("-D" + k + "=" + System.getProperty(k)));
        if (linkedInImage()) {
            // The fork runs the image's java: our modules are linked in (named), JMH is on the class
            // path (unnamed). Let the generated benchmark code read JMH and let JMH reflect into it.
            String self = JmhLauncher.class.getModule().getName();
            String pkg = JmhLauncher.class.getPackageName();
            args.addAll(List.of("--add-reads", self + "=ALL-UNNAMED",
                    "--add-opens", self + "/" + pkg + "=ALL-UNNAMED",
                    "--add-opens", self + "/" + pkg + ".jmh_generated=ALL-UNNAMED"));
        }
        return args;
    }

    /** Whether this code runs from a jlink image (its module lives in jrt:/), not from jars on a module path. */
    static boolean linkedInImage() {
        Module self = JmhLauncher.class.getModule();
        return self.isNamed() && self.getLayer() != null && self.getLayer().configuration().findModule(self.getName())
                .flatMap(m -> m.reference().location())
                .map(uri -> "jrt".equals(uri.getScheme()))
                .orElse(false);
    }
}
