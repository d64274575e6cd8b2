package optlab.experiments.sweep;

import java.io.PrintStream;

/**
 * An executor that lives outside the library modules (Spark, whose jars are not modules and stay out of the default
 * runtime image): found through {@link java.util.ServiceLoader} when its jars are on the class path, which the
 * launcher arranges only for {@code --executor NAME}.
 */
public interface ExecutorProvider {
    /** The name {@code --executor} selects it by, e.g. "spark". */
    String name();

    /**
     * An executor for the cluster at {@code master} (e.g. "local[2]", "spark://host:7077"); it rebuilds jobs in its
     * workers with {@code codec} and prints progress to {@code log}.
     */
    Executor create(String master, JobCodec codec, PrintStream log);
}
