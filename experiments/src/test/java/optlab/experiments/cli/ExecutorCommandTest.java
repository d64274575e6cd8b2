package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import optlab.experiments.sweep.SweepFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --executor on {@code sweep grid}: a SLURM array (its script's tasks run by a shell loop with SLURM_ARRAY_TASK_ID
 * set, then --collect) gives the local executor's results; a sweep whose JVM is killed resumes losing no finished
 * run and redoing none; bad executor flags exit 2 naming the flag.
 */
class ExecutorCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A tiny train config (Gaussian mixture, 3-class MLP); steps set by the caller. */
    Path config(int steps) throws IOException {
        Path c = tmp.resolve("config-" + steps + ".json");
        Files.writeString(c, """
                {"model": "mlp:8-16-3", "data": {"source": "gaussian-mixture", "classes": 3, "dim": 8,
                 "train": 64, "test": 32}, "batch_size": 16, "optimizer": "sgd:lr=0.1", "steps": %d}""".formatted(steps));
        return c;
    }

    static Object[] optlab(String... args) {
        return GammaEtaCommandTest.run(args);
    }

    @Test
    void slurmArrayScriptRunByAShellLoopThenCollectEqualsLocal() throws Exception {
        Path cfg = config(8);
        Path local = tmp.resolve("local"), slurm = tmp.resolve("slurm");
        Object[] a = optlab("sweep", "grid", cfg.toString(), "--vary", "seed=0,1,2", "--out", local.toString());
        assertEquals(0, a[0], (String) a[2]);

        Object[] s = optlab("sweep", "grid", cfg.toString(), "--vary", "seed=0,1,2", "--out", slurm.toString(),
                "--executor", "slurm", "--jobs-per-task", "2", "--sbatch=--time=0:10:00");
        assertEquals(0, s[0], (String) s[2]);
        assertTrue(((String) s[1]).contains("sbatch "), (String) s[1]);
        Path script = slurm.resolve("slurm").resolve("sweep.sbatch");
        String text = Files.readString(script);
        assertTrue(text.contains("#SBATCH --array=0-1\n"), "3 jobs, 2 per task: 2 tasks\n" + text);
        assertTrue(text.contains("#SBATCH --time=0:10:00\n"), text);
        assertTrue(!Files.exists(slurm.resolve("runs")) || !SweepFolders.done(slurm.resolve("runs").resolve("seed-0")),
                "nothing ran yet");

        // Without SLURM: what each array task would run, in a shell loop.
        Path launcher = ChildOptlab.launcher(tmp);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "for i in 0 1; do SLURM_ARRAY_TASK_ID=$i bash \"$0\" || exit $?; done", script.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("loop.log").toFile());
        pb.environment().put("OPTLAB", launcher.toString()); // the script's launcher, overridable as on a cluster
        Process loop = pb.start();
        assertTrue(loop.waitFor(120, TimeUnit.SECONDS), "array tasks finish");
        assertEquals(0, loop.exitValue(), () -> read(tmp.resolve("loop.log")));

        Object[] c = optlab("sweep", "grid", cfg.toString(), "--vary", "seed=0,1,2", "--out", slurm.toString(), "--collect");
        assertEquals(0, c[0], (String) c[2]);
        JsonNode x = JSON.readTree(local.resolve("summary.json").toFile()), y = JSON.readTree(slurm.resolve("summary.json").toFile());
        assertEquals(3, y.path("runs").size());
        for (int i = 0; i < 3; i++) {
            assertEquals("completed", y.path("runs").get(i).path("status").asText());
            assertEquals(x.path("runs").get(i).path("final"), y.path("runs").get(i).path("final"), "run " + i);
        }
        // Submitting again when all is done writes nothing new: the sweep reports at once.
        Object[] again = optlab("sweep", "grid", cfg.toString(), "--vary", "seed=0,1,2", "--out", slurm.toString(),
                "--executor", "slurm");
        assertEquals(0, again[0], (String) again[2]);
        assertTrue(((String) again[1]).contains("wrote " + slurm.resolve("summary.json")), (String) again[1]);
    }

    @Test
    void killedSweepResumesLosingNoFinishedRunAndRedoingNone() throws Exception {
        Path cfg = config(3000);
        Path out = tmp.resolve("grid");
        String[] args = {"sweep", "grid", cfg.toString(), "--vary", "seed=0,1,2,3", "--workers", "1", "--out", out.toString()};
        Process p = new ProcessBuilder(ChildOptlab.command(args)).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (finished(out).size() < 2 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), () -> "the sweep was still running when killed: " + read(tmp.resolve("child.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, like a lost node
        p.waitFor(30, TimeUnit.SECONDS);
        Map<Path, byte[]> before = finished(out);
        assertTrue(before.size() >= 2 && before.size() < 4, "finished before the kill: " + before.keySet());

        Object[] r = optlab(args);
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("sweep: 4 runs, " + before.size() + " already done, " + (4 - before.size())
                + " to run"), (String) r[1]);
        Map<Path, byte[]> after = finished(out);
        assertEquals(4, after.size());
        // Not redone: a rerun would rewrite its summary (timing fields, at least).
        before.forEach((f, bytes) -> assertArrayEquals(bytes, after.get(f), f + " rewritten"));
    }

    /** summary.json bytes of the finished run folders under {@code out/runs}. */
    static Map<Path, byte[]> finished(Path out) throws IOException {
        Map<Path, byte[]> m = new HashMap<>();
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return m;
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(runs)) {
            folders = new ArrayList<>(s.toList());
        }
        for (Path f : folders) {
            if (SweepFolders.done(f)) {
                m.put(f, Files.readAllBytes(f.resolve("summary.json")));
            }
        }
        return m;
    }

    @Test
    void badExecutorFlagsExitTwoNamingTheFlag() throws IOException {
        Path cfg = config(8);
        String[][] bad = {
            {"--executor", "yarn"}, {"--master", "local[2]"}, {"--executor", "spark", "--workers", "2"},
            {"--jobs-per-task", "2"}, {"--executor", "slurm", "--jobs-per-task", "0"},
            {"--executor", "spark", "--master", "local[2]"}, // no Spark on the test class path
        };
        for (String[] b : bad) {
            List<String> args = new ArrayList<>(List.of("sweep", "grid", cfg.toString(), "--vary", "seed=0", "--out",
                    tmp.resolve("bad").toString()));
            args.addAll(List.of(b));
            Object[] r = optlab(args.toArray(String[]::new));
            assertEquals(2, r[0], String.join(" ", b) + ": " + r[2]);
            String err = (String) r[2];
            assertTrue(err.startsWith("optlab sweep grid: ") && err.strip().lines().count() == 1, String.join(" ", b) + ": " + err);
        }
        Object[] recipe = optlab("run", "gamma-eta", "--executor", "spark", "--workers", "2", "--out", tmp.resolve("g").toString());
        assertEquals(2, recipe[0], (String) recipe[2]);
        assertTrue(((String) recipe[2]).contains("--workers applies to --executor local only"), (String) recipe[2]);
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
