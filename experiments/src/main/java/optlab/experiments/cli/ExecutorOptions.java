package optlab.experiments.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import optlab.experiments.sweep.Collect;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.ExecutorProvider;
import optlab.experiments.sweep.LocalSweep;
import optlab.experiments.sweep.SlurmArray;
import picocli.CommandLine.Option;

/**
 * Where a sweep's runs go, for every recipe and {@code sweep grid}: {@code --executor local} (default: this
 * machine's cores), {@code spark} ({@code --master}), {@code slurm} (a job-array script, then {@code --collect}).
 */
public final class ExecutorOptions {
    /** The launcher SLURM tasks run; ./optlab passes its own path. */
    static final String LAUNCHER_PROPERTY = "optlab.launcher";

    @Option(names = "--executor", paramLabel = "local|spark|slurm", description = "Where the runs go: local (default; "
            + "--workers at a time), spark (--master; needs ./optlab, which adds Spark), slurm (writes DIR/slurm/sweep.sbatch,"
            + " a job array; submit it, then run the same command with --collect).")
    String executor = "local";

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[N], local[N,F] (F attempts per "
            + "task) or spark://HOST:PORT (default local[*]).")
    String master;

    @Option(names = "--jobs-per-task", paramLabel = "N", description = "slurm: jobs run by one array task, in turn (default 1).")
    Integer jobsPerTask;

    @Option(names = "--sbatch", paramLabel = "OPTION", description = "slurm: an extra #SBATCH line, e.g. "
            + "--sbatch=--time=2:00:00 (repeatable).")
    List<String> sbatch;

    @Option(names = "--collect", description = "Run nothing: assemble the summary and figures from the runs in the "
            + "output folder (after a SLURM array, or runs made elsewhere).")
    boolean collect;

    /**
     * The executor these options name; {@code workersGiven} is --workers as given (null when absent), {@code workers}
     * its value or default. A bad combination throws IllegalArgumentException naming the flag.
     */
    public Executor create(Integer workersGiven, int workers, Path dir, PrintStream log) {
        if (!List.of("local", "spark", "slurm").contains(executor)) {
            throw new IllegalArgumentException("--executor must be local, spark or slurm, got '" + executor + "'");
        }
        only("--master", master != null, "spark");
        only("--jobs-per-task", jobsPerTask != null, "slurm");
        only("--sbatch", sbatch != null, "slurm");
        only("--workers", workersGiven != null, "local");
        if (collect) {
            return new Collect(log);
        }
        return switch (executor) {
            case "spark" -> spark(master != null ? master : "local[*]", log);
            case "slurm" -> new SlurmArray(dir, jobsPerTask != null ? jobsPerTask : 1,
                    System.getProperty(LAUNCHER_PROPERTY, "optlab"), sbatch != null ? sbatch : List.of());
            default -> new LocalSweep(workers, log);
        };
    }

    private void only(String flag, boolean given, String with) {
        if (given && !executor.equals(with)) {
            throw new IllegalArgumentException(flag + " applies to --executor " + with + " only (this is --executor " + executor + ")");
        }
    }

    private static Executor spark(String master, PrintStream log) {
        try {
            for (ExecutorProvider p : ServiceLoader.load(ExecutorProvider.class)) {
                if (p.name().equals("spark")) {
                    return p.create(master, SweepJobs.CODEC, log);
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalArgumentException("--executor spark: the Spark plug-in does not load (" + e.getMessage()
                    + "); rebuild with ./mvnw package");
        }
        throw new IllegalArgumentException("--executor spark: Spark is not on the class path; run through ./optlab, which "
                + "adds experiments/target/image/lib-spark (built by ./mvnw package)");
    }
}
