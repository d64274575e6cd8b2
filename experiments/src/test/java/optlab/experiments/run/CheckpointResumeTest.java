package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import optlab.experiments.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Checkpoint and resume of one run: a run killed (an exception, or kill -9 of its JVM at a random step) and resumed
 * with {@code --resume} writes the same steps.csv losses and evals.csv as the run that was never interrupted, bit for
 * bit, with no row lost or doubled. The run exercises everything a resume must restore: Adam's moments and step
 * count, a cosine schedule, shuffled epochs with a partial last batch (250 samples in batches of 16), and dropout.
 */
class CheckpointResumeTest {
    static final String MIXTURE = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 250, \"test\": 64}";
    /** 16 batches per epoch (the last of 10 samples). */
    static final int PER_EPOCH = 16;

    @TempDir
    Path tmp;

    ObjectNode config(Path out, long steps, long checkpointEvery) {
        return RunConfig.readTree("""
                {"model": "mlp:8-32-32-3,dropout=0.2", "data": %s, "batch_size": 16, "optimizer": "adam:lr=0.01",
                 "schedule": "cosine", "steps": %d, "seed": 7, "threads": 1, "checkpoint_every": %d,
                 "eval": {"every_steps": 20, "train_samples": 64}, "out": "%s"}
                """.formatted(MIXTURE, steps, checkpointEvery, out.toString().replace("\\", "\\\\")));
    }

    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** steps.csv without the seconds column (time differs between runs), and evals.csv, as written. */
    static List<String> losses(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(RunFolder.STEPS))) {
            String[] c = line.split(",", -1);
            out.add(c[0] + "," + c[1] + "," + c[2]);
        }
        out.add("--");
        out.addAll(Files.readAllLines(dir.resolve(RunFolder.EVALS)));
        return out;
    }

    /** Same lines, else the first that differs (the whole files would bury it). */
    static void assertSameLines(List<String> want, List<String> got) {
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            assertEquals(want.get(i), got.get(i), "line " + i + " (of steps.csv, then -- and evals.csv)");
        }
        assertEquals(want.size(), got.size(), "lines");
    }


    @Test
    void aRunThatDiedResumesToTheUninterruptedLosses() throws IOException {
        long steps = 150;
        Path ref = tmp.resolve("ref"), dir = tmp.resolve("resumed");
        new Trainer(RunConfig.parse(config(ref, steps, 0)), QUIET).run();
        // Checkpoints every 2 epochs: the one it resumes from (after 64 updates) ends epoch 3, so the resumed run must
        // see that epoch's end before drawing epoch 4's first batch. The crash comes after the evaluation at 80.
        RunConfig c = RunConfig.parse(config(dir, steps, 2 * PER_EPOCH));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Trainer(c, QUIET, List.of(CrashProbe.after(85))).run());
        assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
        assertEquals(64, Checkpoint.read(dir).position().step());
        assertTrue(Files.readString(dir.resolve(RunFolder.EVALS)).contains("\n80,"), "an evaluation after the checkpoint");
        // A killed run can also leave a partial last row.
        Files.writeString(dir.resolve(RunFolder.STEPS), "86,0.9", StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(RunFolder.EVALS), "100,6.2", StandardOpenOption.APPEND);

        RunResult r = new Trainer(c, QUIET).resume();
        assertEquals(RunResult.Status.COMPLETED, r.status());
        assertEquals(steps, r.stepsDone());
        assertSameLines(losses(ref), losses(dir));
        assertFalse(Files.exists(dir.resolve(Checkpoint.FOLDER)), "a finished run keeps no checkpoint");
        assertEquals("completed", RunConfig.JSON.readTree(dir.resolve(RunFolder.SUMMARY).toFile()).path("status").asText());
    }

    /** Crashes the run of {@code extra} after update {@code crash}, resumes it, and compares with the straight run. */
    void crashAndResume(String name, String extra, long steps, long every, long crash) throws IOException {
        Path ref = tmp.resolve(name + "-ref"), dir = tmp.resolve(name);
        ObjectNode a = config(ref, steps, 0), b = config(dir, steps, every);
        a.setAll(RunConfig.readTree(extra));
        b.setAll(RunConfig.readTree(extra));
        new Trainer(RunConfig.parse(a), QUIET).run();
        RunConfig c = RunConfig.parse(b);
        assertThrows(IllegalStateException.class, () -> new Trainer(c, QUIET, List.of(CrashProbe.after(crash))).run());
        assertEquals(crash / every * every, Checkpoint.read(dir).position().step(), name);
        assertEquals(RunResult.Status.COMPLETED, new Trainer(c, QUIET).resume().status(), name);
        assertSameLines(losses(ref), losses(dir));
    }

    /**
     * Every kind of state a rule or model carries resumes: momentum (Nesterov), RMSprop's average, Adams–Bashforth's
     * past gradients, rk23's adapted step size and counters, Path-SGD (state rebuilt around the path structure), and
     * a ResNet's batch-norm running statistics and num_batches_tracked.
     */
    @Test
    void everyKindOfStateResumes() throws IOException {
        for (String rule : List.of("sgd:lr=0.05,momentum=0.9,nesterov=true", "rmsprop:lr=0.003", "ab3:lr=0.05",
                "rk23:lr=0.05", "path-sgd:lr=0.01")) {
            crashAndResume(rule.substring(0, rule.indexOf(':')), "{\"optimizer\": \"" + rule + "\"}", 40, 9, 23);
        }
        Path images = JitDeterminismTestAccess.idxFolder(tmp);
        crashAndResume("resnet", """
                {"model": "resnet:blocks=1,width=4,in=1", "data": "mnist:%s", "batch_size": 20,
                 "optimizer": "sgd:lr=0.05,momentum=0.9", "eval": {"every_steps": 5, "train_samples": 16}}
                """.formatted(images.toString().replace("\\", "\\\\")), 20, 4, 13);
    }

    @Test
    void aCheckpointOfAnotherConfigIsRefused() throws IOException {
        Path dir = tmp.resolve("other");
        RunConfig c = RunConfig.parse(config(dir, 60, 10));
        assertThrows(IllegalStateException.class, () -> new Trainer(c, QUIET, List.of(CrashProbe.after(25))).run());
        ObjectNode other = config(dir, 60, 10);
        other.put("seed", 8);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Trainer(RunConfig.parse(other), QUIET).resume());
        assertTrue(e.getMessage().contains("another config") && e.getMessage().contains("seed was 7, now 8"),
                e.getMessage());
        // The same through the command line: a flag that changes the run is refused (exit 2), files untouched.
        List<String> before = Files.readAllLines(dir.resolve(RunFolder.STEPS));
        assertEquals(2, new CommandLine(new Main()).execute("train", "--resume", dir.toString(), "--steps", "61",
                "--no-plot"));
        assertEquals(before, Files.readAllLines(dir.resolve(RunFolder.STEPS)));
        // A folder without a checkpoint is refused with the reason.
        IOException none = assertThrows(IOException.class, () -> Checkpoint.read(tmp));
        assertTrue(none.getMessage().contains("holds no checkpoint"), none.getMessage());
        assertEquals(2, new CommandLine(new Main()).execute("train", "--resume", tmp.toString(), "--no-plot"));
        // Probes keep files of their own that a checkpoint does not hold: refused up front, naming the field.
        ObjectNode probed = config(dir, 60, 10);
        probed.putArray("probes").add("timing");
        ConfigException p = assertThrows(ConfigException.class, () -> RunConfig.parse(probed));
        assertTrue(p.getMessage().startsWith("checkpoint_every: ") && p.getMessage().contains("[timing]"), p.getMessage());
        // A new run into the folder drops the old checkpoint, which would otherwise resume into the new run's files.
        new Trainer(RunConfig.parse(config(dir, 5, 0)), QUIET).run();
        assertFalse(Checkpoint.exists(dir));
    }

    /**
     * kill -9 of a child JVM running {@code optlab train --checkpoint-every 37} once it has checkpointed past a random
     * step, then {@code optlab train --resume}: the files equal those of a run never interrupted.
     */
    @Test
    void aKilledJvmResumesToTheUninterruptedLosses() throws Exception {
        long steps = 1500, every = 37;
        Path ref = tmp.resolve("ref"), dir = tmp.resolve("killed");
        new Trainer(RunConfig.parse(config(ref, steps, 0)), QUIET).run();
        long target = new SplittableRandom(System.nanoTime()).nextLong(every, steps / 2);
        Files.createDirectories(dir);
        Path configFile = dir.resolve("run.json");
        Files.writeString(configFile, config(dir, steps, 0).toPrettyString());
        Process p = child(List.of("train", configFile.toString(), "--checkpoint-every", Long.toString(every), "--no-plot"),
                dir.resolve("child.log"));
        long killedAfter = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            long at = checkpointStep(dir);
            if (at >= target) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                killedAfter = at;
                break;
            }
            Thread.sleep(2);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(killedAfter >= 0, "the child was not killed mid-run (target step " + target + "): "
                + Files.readString(dir.resolve("child.log")));
        assertEquals("running", RunConfig.JSON.readTree(dir.resolve(RunFolder.SUMMARY).toFile()).path("status").asText(),
                "killed before it finished");
        System.out.printf("killed after checkpoint %d (target %d); steps.csv had %d lines%n", killedAfter, target,
                Files.readAllLines(dir.resolve(RunFolder.STEPS)).size());

        assertEquals(0, new CommandLine(new Main()).execute("train", "--resume", dir.toString(), "--no-plot"));
        assertSameLines(losses(ref), losses(dir));
    }

    /** The step of the run's current checkpoint, or -1 (none yet, or checkpoint.json being replaced). */
    static long checkpointStep(Path dir) {
        try {
            return RunConfig.JSON.readTree(dir.resolve(Checkpoint.FOLDER).resolve(Checkpoint.POINTER).toFile())
                    .path("step").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** {@code optlab ARGS} in a child JVM with this JVM's module path and flags. */
    static Process child(List<String> args, Path log) throws IOException {
        List<String> cmd = JitDeterminismTest.optlab(List.of());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
