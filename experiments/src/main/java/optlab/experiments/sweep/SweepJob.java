package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * One independent run of a sweep. A job must be a pure function of its own description (a config it holds), so
 * that any {@link Executor} — this machine's cores, a Spark task, a SLURM array task — may run it, in any order, and a
 * rerun gives the same result. {@link #toJson} describes it fully, so another process rebuilds it ({@link JobCodec}).
 *
 * <p>Contract: {@link #run} writes everything into {@link #folder} and ends by writing
 * {@code folder/summary.json} atomically with {@code "status"} "completed" or "diverged" (see
 * {@link SweepFolders}). Until then the folder is not done, whatever else it holds; a rerun starts it over.
 */
public interface SweepJob {
    /** A short name, unique in its sweep, for progress lines and reports (e.g. "sgd-balanced-lr1e-2"). */
    String id();

    /** The job's own output folder, unique in its sweep. */
    Path folder();

    /**
     * Everything another process needs to run this job: {@code {"kind": K, "id": ..., ...}} with the kind's own fields
     * (folders as given, relative ones resolved against the working directory of whoever runs it).
     */
    ObjectNode toJson();

    /** Runs the job and writes {@code folder()/summary.json} atomically at the end; throws when it fails. */
    void run() throws Exception;
}
