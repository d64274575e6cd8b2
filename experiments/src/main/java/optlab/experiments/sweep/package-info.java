/**
 * Sweeps: many independent runs, each a pure function of its config, written into one folder each.
 *
 * <p>{@link optlab.experiments.sweep.SweepJob} is the unit of work (an id, a folder, a {@code run()} that ends by
 * writing {@code folder/summary.json} atomically with status "completed" or "diverged");
 * {@link optlab.experiments.sweep.LocalSweep} runs a list of them on this machine's cores, skipping folders
 * already done, so an interrupted sweep resumes where it stopped; {@link optlab.experiments.sweep.SweepFolders}
 * reads and writes the status. {@link optlab.experiments.sweep.TrainJob} wraps an ordinary training run.
 */
package optlab.experiments.sweep;
