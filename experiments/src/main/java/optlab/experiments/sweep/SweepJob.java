package optlab.experiments.sweep;

import java.nio.file.Path;

/**
 * One independent run of a sweep. A job must be a pure function of its own description (a config it holds), so
 * that any executor — {@link LocalSweep} here, a cluster array job later — may run it, in any order, and a rerun
 * gives the same result.
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

    /** Runs the job and writes {@code folder()/summary.json} atomically at the end; throws when it fails. */
    void run() throws Exception;
}
