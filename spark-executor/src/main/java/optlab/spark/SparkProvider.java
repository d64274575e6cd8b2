package optlab.spark;

import java.io.PrintStream;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.ExecutorProvider;
import optlab.experiments.sweep.JobCodec;

/** {@code --executor spark}: found by the optlab module's ServiceLoader when this jar is on the class path. */
public final class SparkProvider implements ExecutorProvider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Executor create(String master, JobCodec codec, PrintStream log) {
        return new SparkExecutor(master, codec, log);
    }
}
