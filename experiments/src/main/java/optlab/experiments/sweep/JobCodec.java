package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.Serializable;

/**
 * Rebuilds a job from its JSON description ({@link SweepJob#toJson}) in another process: a Spark task, a SLURM
 * array task. Serializable because Spark ships it to its executors with the tasks.
 */
public interface JobCodec extends Serializable {
    /**
     * The job {@code json} describes; its progress lines go to {@code log}. A description of an unknown kind or with
     * a bad field throws IllegalArgumentException naming it.
     */
    SweepJob decode(JsonNode json, PrintStream log);
}
