package optlab.experiments.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every executor does around one job, wherever it runs: skip it when its folder is done, else run it and turn
 * whatever happens into an {@link SweepReport.Outcome} — a throw, or a return without a final summary.json, is
 * recorded as failed in the folder, so the folder alone says what happened.
 */
public final class JobAttempt {
    private JobAttempt() {
    }

    /** The outcome of a job whose folder is already done ("reused"), or null when it must run. */
    public static SweepReport.Outcome ifDone(SweepJob job) {
        String status = SweepFolders.status(job.folder());
        return SweepFolders.isFinal(status) ? new SweepReport.Outcome(job.id(), job.folder(), status, true, null, 0) : null;
    }

    /** Runs {@code job} once; never throws for the job's own failure (problems recording it go to {@code log}). */
    public static SweepReport.Outcome run(SweepJob job, PrintStream log) {
        long t0 = System.nanoTime();
        String error = null;
        try {
            job.run();
        } catch (Exception | Error e) {
            error = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        String status = SweepFolders.status(job.folder());
        if (error == null && !SweepFolders.isFinal(status)) {
            error = "the job returned but its " + SweepFolders.SUMMARY + " says '" + status + "', not completed or diverged";
        }
        if (error != null) {
            status = SweepFolders.FAILED;
            try {
                SweepFolders.markFailed(job.folder(), job.id(), error);
            } catch (IOException | RuntimeException e) {
                log.println("sweep: could not record the failure of " + job.id() + " in its folder: " + e);
            }
        }
        return new SweepReport.Outcome(job.id(), job.folder(), status, false, error, (System.nanoTime() - t0) * 1e-9);
    }

    /** Throws IllegalArgumentException when two jobs share an id or a folder. */
    public static void checkUnique(List<? extends SweepJob> jobs) {
        Set<String> ids = new HashSet<>();
        Set<Path> folders = new HashSet<>();
        for (SweepJob j : jobs) {
            if (!ids.add(j.id())) {
                throw new IllegalArgumentException("sweep: two jobs have the id '" + j.id() + "'");
            }
            if (!folders.add(j.folder().toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("sweep: two jobs write the folder " + j.folder() + " (second: " + j.id() + ")");
            }
        }
    }
}
