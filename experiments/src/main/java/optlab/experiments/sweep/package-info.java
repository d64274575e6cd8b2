/**
 * Sweeps: many independent runs, each a pure function of its config, written into one folder each.
 *
 * <p>{@link optlab.experiments.sweep.SweepJob} is the unit of work (an id, a folder, a {@code run()} that ends by
 * writing {@code folder/summary.json} atomically with status "completed" or "diverged");
 * {@link optlab.experiments.sweep.LocalSweep} runs a list of them on this machine's cores, skipping folders
 * already done, so an interrupted sweep resumes where it stopped; {@link optlab.experiments.sweep.SweepFolders}
 * reads and writes the status. {@link optlab.experiments.sweep.TrainJob} wraps an ordinary training run.
 *
 * <p>An {@link optlab.experiments.sweep.Executor} runs the jobs: {@code LocalSweep} here (the default),
 * {@link optlab.experiments.sweep.SlurmArray} (a job-array script instead), {@link optlab.experiments.sweep.Collect}
 * (nothing: it reads the folders), or a plug-in found through {@link optlab.experiments.sweep.ExecutorProvider}
 * (Spark). Jobs describe themselves as JSON ({@link optlab.experiments.sweep.SweepJob#toJson}) and a
 * {@link optlab.experiments.sweep.JobCodec} rebuilds them in another process; what happens around each job is
 * {@link optlab.experiments.sweep.JobAttempt}, the same on every executor. This package is exported for plug-ins.
 */
package optlab.experiments.sweep;
