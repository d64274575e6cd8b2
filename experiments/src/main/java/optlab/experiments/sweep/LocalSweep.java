package optlab.experiments.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a list of independent {@link SweepJob}s on this machine, {@code workers} at a time (each job should run its
 * kernels on one thread, so workers = cores keeps every core busy without oversubscription).
 *
 * <ul>
 *   <li>Resume: a job whose folder is already done ({@link SweepFolders#done}) is skipped, so rerunning an
 *       interrupted sweep redoes only the runs that were running, failed or never started.</li>
 *   <li>Failures: a job that throws, or returns without a final summary.json, is recorded as failed in its
 *       folder (status "failed" and the error) and in the report; the other jobs go on.</li>
 *   <li>Ctrl-C: finished folders are intact (summaries are written atomically); a shutdown hook marks the jobs
 *       in flight as failed ("interrupted"), so a resumed sweep reruns them.</li>
 *   <li>Progress: a line as each job starts and ends: runs done/total, failures, elapsed time and ETA (the mean
 *       wall time of the jobs finished in this session times the rounds of {@code workers} jobs left).</li>
 * </ul>
 */
public final class LocalSweep implements Executor {
    private final int workers;
    private final PrintStream log;

    public LocalSweep(int workers, PrintStream log) {
        if (workers < 1) {
            throw new IllegalArgumentException("LocalSweep: workers must be >= 1, got " + workers);
        }
        this.workers = workers;
        this.log = log;
    }

    /** Runs every job not yet done and returns how each ended; returns early (jobs "not run") if interrupted. */
    @Override
    public SweepReport runAll(List<? extends SweepJob> jobs) {
        JobAttempt.checkUnique(jobs);
        long start = System.nanoTime();
        SweepReport.Outcome[] outcomes = new SweepReport.Outcome[jobs.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            outcomes[i] = JobAttempt.ifDone(jobs.get(i));
            if (outcomes[i] == null) {
                todo.add(i);
            }
        }
        int total = jobs.size(), reused = total - todo.size();
        log.printf(Locale.ROOT, "sweep: %d runs, %d already done, %d to run on %d worker%s%n", total, reused,
                todo.size(), workers, workers == 1 ? "" : "s");
        if (todo.isEmpty()) {
            return new SweepReport(List.of(outcomes), 0);
        }
        Map<Path, String> inFlight = new ConcurrentHashMap<>();
        Thread hook = new Thread(() -> interrupted(inFlight), "sweep-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, todo.size()), r -> {
            Thread t = new Thread(r, "sweep-worker-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Finished> done = new ExecutorCompletionService<>(pool);
        Set<Future<Finished>> pending = new HashSet<>();
        try {
            for (int i : todo) {
                SweepJob job = jobs.get(i);
                pending.add(done.submit(() -> execute(i, job, inFlight)));
            }
            int finished = 0, failed = 0;
            double jobSeconds = 0;
            int lanes = Math.min(workers, todo.size());
            while (finished < todo.size()) {
                Future<Finished> f = done.take();
                pending.remove(f);
                Finished r = result(f);
                outcomes[r.index()] = r.outcome();
                finished++;
                failed += r.outcome().done() ? 0 : 1;
                jobSeconds += r.outcome().seconds();
                double elapsed = (System.nanoTime() - start) * 1e-9;
                int left = todo.size() - finished;
                // Mean job time so far, spread over the workers still busy (the running jobs count as whole).
                double eta = jobSeconds / finished * Math.ceil((double) left / lanes);
                log.printf(Locale.ROOT, "sweep: %d/%d runs done%s; %s %s in %.1f s%s; elapsed %s, ETA %s%n",
                        reused + finished, total, failed > 0 ? " (" + failed + " failed)" : "", r.outcome().id(),
                        r.outcome().status(), r.outcome().seconds(),
                        r.outcome().error() == null ? "" : ": " + r.outcome().error(), clock(elapsed),
                        finished == todo.size() ? "0:00" : clock(eta));
            }
            return new SweepReport(List.of(outcomes), (System.nanoTime() - start) * 1e-9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.forEach(f -> f.cancel(true));
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = new SweepReport.Outcome(jobs.get(i).id(), jobs.get(i).folder(), SweepReport.NOT_RUN,
                            false, "sweep interrupted", 0);
                }
            }
            return new SweepReport(List.of(outcomes), (System.nanoTime() - start) * 1e-9);
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it marks the jobs in flight
            }
        }
    }

    private record Finished(int index, SweepReport.Outcome outcome) {
    }

    /** Runs one job on a worker thread and turns whatever happens into an outcome. */
    private Finished execute(int index, SweepJob job, Map<Path, String> inFlight) {
        log.printf(Locale.ROOT, "sweep: start %s (%s)%n", job.id(), Thread.currentThread().getName());
        inFlight.put(job.folder(), job.id());
        try {
            return new Finished(index, JobAttempt.run(job, log));
        } finally {
            inFlight.remove(job.folder());
        }
    }

    private static Finished result(Future<Finished> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sweep: a worker failed outside its job", e.getCause()); // execute catches all
        }
    }

    /** Shutdown hook: the jobs still running will not finish in this JVM; say so in their folders. */
    private static void interrupted(Map<Path, String> inFlight) {
        for (Map.Entry<Path, String> e : inFlight.entrySet()) {
            try {
                if (!SweepFolders.done(e.getKey())) {
                    SweepFolders.markFailed(e.getKey(), e.getValue(), "interrupted: the sweep's JVM shut down");
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort while the JVM goes down; the folder is not done either way
            }
        }
    }

    @Override
    public String describe() {
        return workers + " local worker" + (workers == 1 ? "" : "s");
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
