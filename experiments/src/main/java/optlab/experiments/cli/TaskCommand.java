package optlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import optlab.experiments.sweep.JobAttempt;
import optlab.experiments.sweep.SweepJob;
import optlab.experiments.sweep.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code optlab sweep task FILE}: runs the jobs a task file describes (a JSON array of job descriptions, or one), in
 * turn, skipping those whose folder is done. What a SLURM array task runs ({@code --executor slurm}); any machine
 * that sees the results folder may run it.
 */
@Command(name = "task", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the sweep jobs described in FILE (written by --executor slurm: DIR/slurm/tasks/NNNNN.json), "
                + "one after the other; a job whose folder is already done is skipped.",
                "Exit status: 0 all done, 1 some failed (recorded in their summary.json), 2 unreadable FILE."})
public final class TaskCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "A task file: a JSON array of job descriptions.")
    Path file;

    @Override
    public Integer call() {
        List<SweepJob> jobs = new ArrayList<>();
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            for (JsonNode j : n.isArray() ? n : List.of(n)) {
                jobs.add(SweepJobs.CODEC.decode(j, System.out));
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("optlab sweep task: " + file + ": " + e.getMessage());
            return 2;
        }
        int failed = 0;
        for (SweepJob job : jobs) {
            SweepReport.Outcome o = JobAttempt.ifDone(job);
            if (o == null) {
                System.out.println("sweep: start " + job.id());
                o = JobAttempt.run(job, System.out);
            }
            failed += o.done() ? 0 : 1;
            System.out.printf(Locale.ROOT, "sweep: %s %s%s%s%n", job.id(), o.status(), o.reused() ? " (already done)"
                    : String.format(Locale.ROOT, " in %.1f s", o.seconds()), o.error() == null ? "" : ": " + o.error());
        }
        return failed > 0 ? 1 : 0;
    }
}
