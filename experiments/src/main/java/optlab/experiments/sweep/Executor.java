package optlab.experiments.sweep;

import java.util.List;

/**
 * Runs a sweep's jobs somewhere and says how each ended. Every executor follows the same folder contract
 * ({@link SweepJob}): a job whose folder already holds a finished summary is skipped, whoever wrote it, so a sweep
 * started on one executor resumes on any other. {@link LocalSweep} (this machine's cores) is the default; Spark
 * comes as a plug-in ({@link ExecutorProvider}); {@link SlurmArray} writes a job-array script instead of running;
 * {@link Collect} runs nothing and only reads the folders.
 */
public interface Executor {
    /** Runs every job not yet done; the report lists the jobs in the order given. */
    SweepReport runAll(List<? extends SweepJob> jobs);

    /** Where the jobs run, for log lines: "2 local workers", "Spark at local[2]", ... */
    String describe();
}
