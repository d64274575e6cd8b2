package optlab.experiments.sweep;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.run.RunConfig;
import optlab.experiments.run.Trainer;

/**
 * An ordinary training run as a sweep job: the {@link Trainer} writes steps.csv, evals.csv and summary.json into
 * the config's {@code out} folder, and its log (which would interleave with other workers' on a console) into
 * {@code log.txt} beside them.
 */
public record TrainJob(String id, RunConfig config) implements SweepJob {
    public static final String LOG = "log.txt";

    @Override
    public Path folder() {
        return config.out();
    }

    @Override
    public void run() throws IOException {
        Files.createDirectories(folder());
        try (OutputStream file = Files.newOutputStream(folder().resolve(LOG));
             PrintStream log = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            new Trainer(config, log).run();
        }
    }
}
