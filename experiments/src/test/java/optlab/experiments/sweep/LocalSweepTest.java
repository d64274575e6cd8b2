package optlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import optlab.experiments.run.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local executor: parallelism, resume, failures recorded, progress; and a real training run as a job. */
class LocalSweepTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** A job that counts its runs, runs {@code body}, then writes {@code status} (none when null). */
    static class FakeJob implements SweepJob {
        final String id;
        final Path folder;
        final AtomicInteger runs = new AtomicInteger();
        volatile String status = SweepFolders.COMPLETED;
        volatile Body body = () -> { };

        interface Body {
            void run() throws Exception;
        }

        FakeJob(String id, Path root) {
            this.id = id;
            this.folder = root.resolve(id);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Path folder() {
            return folder;
        }

        @Override
        public ObjectNode toJson() {
            return JsonNodeFactory.instance.objectNode().put("kind", "fake").put("id", id);
        }

        @Override
        public void run() throws Exception {
            runs.incrementAndGet();
            Files.createDirectories(folder);
            ObjectNode s = JsonNodeFactory.instance.objectNode().put("name", id).put("status", "running");
            SweepFolders.writeSummary(folder, s);
            body.run();
            if (status != null) {
                SweepFolders.writeSummary(folder, s.put("status", status).put("value", id.length()));
            }
        }
    }

    List<FakeJob> jobs(int n) {
        List<FakeJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(new FakeJob("job" + i, tmp));
        }
        return jobs;
    }

    @Test
    void runsJobsConcurrentlyOnTheWorkers() {
        List<FakeJob> jobs = jobs(6);
        // Each job waits until three jobs have started: only three concurrent workers get past the latch.
        CountDownLatch three = new CountDownLatch(3);
        for (FakeJob j : jobs) {
            j.body = () -> {
                three.countDown();
                if (!three.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("jobs did not run concurrently");
                }
            };
        }
        SweepReport r = new LocalSweep(3, log).runAll(jobs);
        assertTrue(r.allDone(), () -> r.failed().toString());
        assertEquals(6, r.count(SweepFolders.COMPLETED));
        assertEquals(0, r.reused());
        for (FakeJob j : jobs) {
            assertEquals(1, j.runs.get());
            assertTrue(SweepFolders.done(j.folder));
        }
        String out = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("sweep: 6/6 runs done"), out);
        assertTrue(out.contains("ETA"), out);
    }

    @Test
    void aFailingJobIsRecordedAndTheOthersGoOn() throws IOException {
        List<FakeJob> jobs = jobs(4);
        jobs.get(1).body = () -> {
            throw new IOException("disk on fire");
        };
        jobs.get(2).status = null; // returns without a final summary: a broken job, also failed
        jobs.get(3).status = SweepFolders.DIVERGED;
        SweepReport r = new LocalSweep(2, log).runAll(jobs);
        assertFalse(r.allDone());
        assertEquals(List.of("completed", "failed", "failed", "diverged"),
                r.outcomes().stream().map(SweepReport.Outcome::status).toList());
        assertEquals(2, r.failed().size());
        assertTrue(r.outcomes().get(1).error().contains("disk on fire"), r.outcomes().get(1).error());
        ObjectNode s1 = SweepFolders.summary(jobs.get(1).folder);
        assertEquals("failed", s1.path("status").asText());
        assertTrue(s1.path("error").asText().contains("disk on fire"));
        assertEquals("job1", s1.path("name").asText()); // what the job wrote before failing is kept
        assertEquals("failed", SweepFolders.status(jobs.get(2).folder));
        assertTrue(SweepFolders.summary(jobs.get(2).folder).path("error").asText().contains("running"));
        assertTrue(SweepFolders.done(jobs.get(3).folder)); // diverged is a result, not a failure
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("(2 failed)"));
    }

    @Test
    void resumeSkipsDoneFoldersAndRedoesTheRest() throws IOException {
        List<FakeJob> jobs = jobs(5);
        jobs.get(2).body = () -> {
            throw new IllegalStateException("flaky");
        };
        new LocalSweep(2, log).runAll(jobs);
        // An interrupted run left a "running" summary; another folder has an unreadable summary.
        SweepFolders.writeSummary(jobs.get(3).folder,
                JsonNodeFactory.instance.objectNode().put("status", "running"));
        Files.writeString(jobs.get(4).folder.resolve(SweepFolders.SUMMARY), "{\"status\": \"compl");
        assertEquals(SweepFolders.MISSING, SweepFolders.status(jobs.get(4).folder));

        jobs.get(2).body = () -> { };
        SweepReport again = new LocalSweep(2, log).runAll(jobs);
        assertTrue(again.allDone());
        assertEquals(List.of(1, 1, 2, 2, 2), jobs.stream().map(j -> j.runs.get()).toList());
        assertEquals(List.of(true, true, false, false, false),
                again.outcomes().stream().map(SweepReport.Outcome::reused).toList());

        // Everything done: nothing runs.
        SweepReport third = new LocalSweep(2, log).runAll(jobs);
        assertEquals(5, third.reused());
        assertEquals(List.of(1, 1, 2, 2, 2), jobs.stream().map(j -> j.runs.get()).toList());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("5 already done, 0 to run"));
    }

    @Test
    void rejectsDuplicateIdsAndFolders() {
        List<FakeJob> jobs = jobs(2);
        jobs.add(new FakeJob("job1", tmp.resolve("elsewhere")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LocalSweep(1, log).runAll(jobs));
        assertTrue(e.getMessage().contains("job1"), e.getMessage());
        FakeJob other = new FakeJob("other", tmp);
        FakeJob sameFolder = new FakeJob("x", tmp) {
            @Override
            public Path folder() {
                return other.folder();
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> new LocalSweep(1, log).runAll(List.of(other, sameFolder)));
        assertTrue(e.getMessage().contains("folder"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LocalSweep(0, log));
    }

    @Test
    void aTrainingRunIsAJob() throws IOException {
        List<TrainJob> jobs = new ArrayList<>();
        for (double lr : new double[] {0.1, 1e6}) {
            String name = "lr" + lr;
            jobs.add(new TrainJob(name, RunConfig.parse(RunConfig.readTree("""
                    {"model": "mlp:8-16-3", "data": {"source": "gaussian-mixture", "classes": 3, "dim": 8,
                     "train": 64, "test": 32}, "batch_size": 16, "optimizer": "sgd:lr=%s", "steps": 8, "threads": 1,
                     "out": "%s"}""".formatted(lr, tmp.resolve(name).toString().replace("\\", "\\\\"))))));
        }
        SweepReport r = new LocalSweep(2, log).runAll(jobs);
        assertTrue(r.allDone(), () -> r.failed().toString());
        assertEquals("completed", r.outcomes().get(0).status());
        assertNull(r.outcomes().get(0).error());
        for (TrainJob j : jobs) {
            assertTrue(Files.isRegularFile(j.folder().resolve("steps.csv")));
            assertTrue(Files.readString(j.folder().resolve(TrainJob.LOG)).contains("optlab train"));
        }
        assertEquals(2, new LocalSweep(2, log).runAll(jobs).reused());
    }
}
