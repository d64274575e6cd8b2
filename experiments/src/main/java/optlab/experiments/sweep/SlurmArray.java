package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.run.AtomicFiles;

/**
 * The executor of {@code --executor slurm}: instead of running, writes the jobs not yet done as task files
 * ({@code DIR/slurm/tasks/NNNNN.json}, a JSON array of job descriptions, {@code jobsPerTask} each) and a job-array
 * script ({@code DIR/slurm/sweep.sbatch}) whose task {@code i} runs {@code optlab sweep task} on file {@code i}. The
 * recipe then stops ({@link SweepDeferred}); once the array has run, the same command with {@code --collect}
 * assembles the summary and figures. Resubmitting is safe: a task skips jobs whose folder is done.
 *
 * <p>When every job is already done there is nothing to submit and the sweep reports at once, like a resume.
 */
public final class SlurmArray implements Executor {
    /** The script's name under {@code DIR/slurm}. */
    public static final String SCRIPT = "sweep.sbatch";

    private final Path dir;
    private final int jobsPerTask;
    private final String launcher;
    private final List<String> sbatchOptions;

    /**
     * @param dir           the sweep's folder; the script and task files go to {@code dir/slurm}
     * @param launcher      the command a task runs ({@code optlab} launcher path), overridable at run time by $OPTLAB
     * @param sbatchOptions extra {@code #SBATCH} lines, e.g. "--partition=cpu", "--time=2:00:00"
     */
    public SlurmArray(Path dir, int jobsPerTask, String launcher, List<String> sbatchOptions) {
        if (jobsPerTask < 1) {
            throw new IllegalArgumentException("--jobs-per-task must be >= 1, got " + jobsPerTask);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.jobsPerTask = jobsPerTask;
        this.launcher = launcher;
        this.sbatchOptions = List.copyOf(sbatchOptions);
    }

    @Override
    public String describe() {
        return "a SLURM job array (" + jobsPerTask + " job" + (jobsPerTask == 1 ? "" : "s") + " per task)";
    }

    @Override
    public SweepReport runAll(List<? extends SweepJob> jobs) {
        JobAttempt.checkUnique(jobs);
        List<SweepReport.Outcome> done = new ArrayList<>();
        List<SweepJob> todo = new ArrayList<>();
        for (SweepJob j : jobs) {
            SweepReport.Outcome o = JobAttempt.ifDone(j);
            if (o != null) {
                done.add(o);
            } else {
                todo.add(j);
            }
        }
        if (todo.isEmpty()) {
            return new SweepReport(done, 0);
        }
        try {
            int tasks = write(todo);
            throw new SweepDeferred(String.format(Locale.ROOT, "wrote %s: %d jobs (%d already done) in %d array tasks;"
                    + " submit it with 'sbatch %s', then run this command again with --collect", script(), todo.size(),
                    done.size(), tasks, script()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SLURM script under " + dir.resolve("slurm") + ": " + e.getMessage(), e);
        }
    }

    /** The job-array script. */
    public Path script() {
        return dir.resolve("slurm").resolve(SCRIPT);
    }

    /** Task file {@code i}: the jobs array task {@code i} runs. */
    public Path taskFile(int i) {
        return dir.resolve("slurm").resolve("tasks").resolve(String.format(Locale.ROOT, "%05d.json", i));
    }

    private int write(List<SweepJob> todo) throws IOException {
        Path slurm = dir.resolve("slurm");
        // Task files of an earlier submission would be run again by a stale script; start over.
        Path tasksDir = slurm.resolve("tasks");
        if (Files.isDirectory(tasksDir)) {
            try (var old = Files.list(tasksDir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(tasksDir);
        Files.createDirectories(slurm.resolve("logs"));
        int tasks = (todo.size() + jobsPerTask - 1) / jobsPerTask;
        for (int t = 0; t < tasks; t++) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (int j = t * jobsPerTask; j < Math.min(todo.size(), (t + 1) * jobsPerTask); j++) {
                a.add(todo.get(j).toJson());
            }
            AtomicFiles.write(taskFile(t), SweepFolders.JSON.writeValueAsString(a) + "\n");
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# optlab sweep of ").append(dir).append(": ").append(todo.size()).append(" jobs in ").append(tasks)
                .append(" array tasks.\n# Written by optlab; resubmitting is safe (a task skips jobs whose folder is done).\n");
        s.append("#SBATCH --job-name=optlab-").append(dir.getFileName()).append('\n');
        s.append("#SBATCH --array=0-").append(tasks - 1).append('\n');
        s.append("#SBATCH --cpus-per-task=1\n");
        s.append("#SBATCH --chdir=").append(Path.of("").toAbsolutePath()).append('\n');
        s.append("#SBATCH --output=").append(slurm.resolve("logs")).append("/task-%a.out\n");
        for (String o : sbatchOptions) {
            s.append("#SBATCH ").append(o).append('\n');
        }
        s.append("set -eu\n");
        // Relative run folders in the job descriptions resolve against the folder the sweep was started from.
        s.append("cd ").append(quote(Path.of("").toAbsolutePath().toString())).append('\n');
        s.append("task=$(printf '%05d' \"$SLURM_ARRAY_TASK_ID\")\n");
        s.append("exec \"${OPTLAB:-").append(launcher).append("}\" sweep task ")
                .append(quote(tasksDir.toString())).append("/\"$task.json\"\n");
        AtomicFiles.write(script(), s.toString());
        script().toFile().setExecutable(true);
        return tasks;
    }

    /** A single-quoted shell word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
