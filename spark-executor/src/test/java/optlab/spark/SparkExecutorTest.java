package optlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import optlab.experiments.cli.Main;
import optlab.experiments.sweep.SweepJob;
import optlab.experiments.sweep.SweepReport;
import optlab.experiments.sweep.TrainJob;
import optlab.experiments.run.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on Spark in local mode: the shrunk γ sweep through the command line gives the local executor's results
 * (every file byte for byte, timing fields aside), and a job that fails once is retried by Spark.
 */
class SparkExecutorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The gamma-eta recipe test's tiny sweep: 9 γ0 (1e-2..1e2), 20 steps per run. */
    static final String TINY = """
            {"run": {"model": "mlp:4-8-8-1", "parameterization": "mup", "batch_size": 8, "steps": 20, "hessian_iterations": 5,
                     "data": {"source": "teacher-student", "dim": 4, "hidden": 4, "test": 32}},
             "gamma0": {"from": -2, "to": 2}, "eta0": {"top": 3, "decades_below": 1}, "curves": [-2, 2]}
            """;

    /** Runs optlab as main() builds it (with its error handling); its exit status. */
    static int optlab(String... args) {
        return Main.commandLine().execute(args);
    }

    @Test
    void gammaSweepOnLocalSparkEqualsTheLocalExecutor() throws IOException {
        Path spec = tmp.resolve("sweep.json");
        Files.writeString(spec, TINY);
        Path local = tmp.resolve("local"), spark = tmp.resolve("spark");
        assertEquals(0, optlab("run", "gamma-eta", "--spec", spec.toString(), "--workers", "2", "--out", local.toString()));
        PrintStream console = System.out;
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        System.setOut(new PrintStream(seen, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, optlab("run", "gamma-eta", "--spec", spec.toString(), "--executor", "spark", "--master",
                    "local[2]", "--out", spark.toString()));
        } finally {
            System.setOut(console);
        }
        // The runs went through Spark: its tasks announce themselves.
        assertTrue(seen.toString(StandardCharsets.UTF_8).contains("(Spark task attempt 1 of 1)"), seen::toString);
        JsonNode x = JSON.readTree(local.resolve("summary.json").toFile()), y = JSON.readTree(spark.resolve("summary.json").toFile());
        for (String f : List.of("eta_max", "slope_small_gamma", "slope_large_gamma")) {
            assertTrue(x.has(f), f);
            assertEquals(x.get(f), y.get(f), f);
        }
        // The whole summary (fits, Hessian, every run's figures), timing fields aside.
        withoutTiming(x);
        withoutTiming(y);
        x.fieldNames().forEachRemaining(f -> assertEquals(x.get(f), y.get(f), "summary.json field " + f));
        assertEquals(x.size(), y.size());
        // Every run and chain folder: the same files, the same bytes once timing fields are set aside.
        Map<String, String> left = folderTexts(local), right = folderTexts(spark);
        assertEquals(left.keySet(), right.keySet());
        assertTrue(left.size() > 20, "runs and chains compared: " + left.size());
        left.forEach((file, text) -> assertEquals(text, right.get(file), file));
    }

    /** Three tiny training runs, the second made to fail on its first attempt. */
    static List<SweepJob> failOnceSweep(Path dir) {
        List<SweepJob> jobs = new java.util.ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            TrainJob t = new TrainJob("seed" + seed, RunConfig.parse(RunConfig.readTree("""
                    {"model": "mlp:8-16-3", "data": {"source": "gaussian-mixture", "classes": 3, "dim": 8,
                     "train": 64, "test": 32}, "batch_size": 16, "optimizer": "sgd:lr=0.1", "steps": 8, "threads": 1,
                     "seed": %d, "out": "%s"}""".formatted(seed, dir.resolve("seed" + seed).toString()))));
            jobs.add(seed == 1 ? new FailOnceCodec.FailOnce(t) : t);
        }
        return jobs;
    }

    @Test
    void aJobThatFailsOnceIsRetriedAndAFailureOnTheLastAttemptIsRecorded() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
        // local[2,2]: two attempts per task; the second attempt of seed1 succeeds.
        Path retried = tmp.resolve("retried");
        SweepReport r = new SparkExecutor("local[2,2]", new FailOnceCodec(), log).runAll(failOnceSweep(retried));
        assertTrue(r.allDone(), () -> r.failed() + "\n" + buf);
        assertTrue(Files.exists(retried.resolve("seed1").resolve(FailOnceCodec.MARKER)), "the first attempt ran and failed");
        assertEquals("completed", JSON.readTree(retried.resolve("seed1/summary.json").toFile()).path("status").asText());

        // local[2]: one attempt (Spark's default in local mode); the failure is recorded, the other jobs finish.
        Path once = tmp.resolve("once");
        SweepReport f = new SparkExecutor("local[2]", new FailOnceCodec(), log).runAll(failOnceSweep(once));
        assertEquals(List.of("seed1"), f.failed().stream().map(SweepReport.Outcome::id).toList());
        assertTrue(f.failed().get(0).error().contains("made to fail on its first attempt"), f.failed().get(0).error());
        assertEquals("failed", JSON.readTree(once.resolve("seed1/summary.json").toFile()).path("status").asText());
        assertEquals(2, f.count("completed"));
        // Resumed: the two finished runs are reused, the failed one runs again (and now passes).
        SweepReport again = new SparkExecutor("local[2]", new FailOnceCodec(), log).runAll(failOnceSweep(once));
        assertTrue(again.allDone(), again.failed()::toString);
        assertEquals(2, again.reused());
    }

    /** runs/ and chains/ files by relative path, without timing fields and CSV columns (names with "seconds"). */
    static Map<String, String> folderTexts(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String sub : List.of("runs", "chains")) {
            try (Stream<Path> files = Files.walk(dir.resolve(sub))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(f).replace(dir.toString(), "DIR"); // each run names its own folder
                    if (f.toString().endsWith(".json")) {
                        text = withoutTiming(JSON.readTree(text)).toString();
                    } else if (f.toString().endsWith(".csv")) {
                        text = withoutTimingColumns(text);
                    }
                    out.put(dir.relativize(f).toString(), text);
                }
            }
        }
        return out;
    }

    /** A CSV text without the columns whose header names seconds. */
    static String withoutTimingColumns(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(",", -1));
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) {
                if (i >= header.size() || !header.get(i).contains("seconds")) {
                    out.append(cells[i]).append(',');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    static JsonNode withoutTiming(JsonNode n) {
        if (n instanceof ObjectNode o) {
            List<String> timing = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(f -> {
                if (f.contains("seconds") || f.contains("per_second")) {
                    timing.add(f);
                }
            });
            o.remove(timing);
            o.forEach(SparkExecutorTest::withoutTiming);
        } else if (n.isArray()) {
            n.forEach(SparkExecutorTest::withoutTiming);
        }
        return n;
    }
}
