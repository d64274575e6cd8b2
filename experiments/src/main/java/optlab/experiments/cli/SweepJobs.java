package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import optlab.experiments.gammaeta.ChainJob;
import optlab.experiments.sweep.JobCodec;
import optlab.experiments.sweep.SweepJob;
import optlab.experiments.sweep.TrainJob;

/**
 * The kinds of job optlab's sweeps make, by their {@code "kind"}: a training run (every recipe but gamma-eta, and
 * {@code sweep grid}) and a gamma-eta η0 scan. A new kind of job is one more case here.
 */
public final class SweepJobs implements JobCodec {
    private static final long serialVersionUID = 1L;

    public static final SweepJobs CODEC = new SweepJobs();

    private SweepJobs() {
    }

    @Override
    public SweepJob decode(JsonNode json, PrintStream log) {
        String kind = json.path("kind").asText("");
        return switch (kind) {
            case TrainJob.KIND -> TrainJob.fromJson(json);
            case ChainJob.KIND -> ChainJob.fromJson(json, log);
            default -> throw new IllegalArgumentException("job kind '" + kind + "' unknown (known: " + TrainJob.KIND + ", "
                    + ChainJob.KIND + ")");
        };
    }
}
