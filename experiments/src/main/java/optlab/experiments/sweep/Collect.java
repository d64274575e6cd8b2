package optlab.experiments.sweep;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The executor of {@code --collect}: runs nothing, reads each job's folder, so a recipe assembles its summary and
 * figures from what another executor (a SLURM array, a cluster) wrote. A job not finished is reported with its
 * folder's status (failed, running, missing) and counts as failed.
 */
public final class Collect implements Executor {
    private final PrintStream log;

    public Collect(PrintStream log) {
        this.log = log;
    }

    @Override
    public String describe() {
        return "none (--collect: reading the folders)";
    }

    @Override
    public SweepReport runAll(List<? extends SweepJob> jobs) {
        JobAttempt.checkUnique(jobs);
        List<SweepReport.Outcome> outcomes = new ArrayList<>();
        for (SweepJob job : jobs) {
            SweepReport.Outcome done = JobAttempt.ifDone(job);
            String status = SweepFolders.status(job.folder());
            outcomes.add(done != null ? done : new SweepReport.Outcome(job.id(), job.folder(), status, false,
                    "not finished: its " + SweepFolders.SUMMARY + " says '" + status + "'", 0));
        }
        SweepReport r = new SweepReport(outcomes, 0);
        log.printf(Locale.ROOT, "collect: %d runs, %d finished, %d not%n", outcomes.size(), r.reused(), r.failed().size());
        return r;
    }
}
