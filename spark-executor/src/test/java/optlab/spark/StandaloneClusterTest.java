package optlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import optlab.experiments.sweep.SweepReport;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark standalone cluster on loopback — a master and one worker, each its own JVM started here, the executor a
 * third JVM the worker starts — runs a small sweep in which one job fails on its first attempt: Spark retries it
 * (spark.task.maxFailures, 4 by default on a cluster) and the sweep completes with nothing lost.
 */
class StandaloneClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : daemons.reversed()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** The test's own class path (surefire runs tests through a manifest jar and passes the real one here). */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    Process daemon(String name, Map<String, String> env, String... args) throws IOException {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        c.addAll(List.of("-Xmx512m", "-cp", classPath()));
        c.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        daemons.add(p);
        return p;
    }

    /** Waits until {@code name}.log contains {@code text}; fails with the log when the daemon died or time ran out. */
    void await(String name, String text, Process p) throws Exception {
        Path log = tmp.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not log '" + text + "':\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aSweepOnAMasterAndAWorkerRetriesAFailedTaskAndLosesNothing() throws Exception {
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        // The worker builds its executors' class path from SPARK_HOME/jars (empty here) and spark.executor.extraClassPath.
        Path home = Files.createDirectories(tmp.resolve("spark-home").resolve("jars")).getParent();
        Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13",
                "SPARK_LOCAL_IP", "127.0.0.1");
        Process m = daemon("master", env, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        await("master", "I have been elected leader", m);
        Process w = daemon("worker", env, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                "--cores", "2", "--memory", "1g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                tmp.resolve("work").toString());
        await("worker", "Successfully registered with master", w);

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Path dir = tmp.resolve("sweep");
        SweepReport r = new SparkExecutor(master, new FailOnceCodec(), log, Map.of(
                "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.extraClassPath", classPath(), "spark.executor.memory", "512m",
                "spark.cores.max", "2")).runAll(SparkExecutorTest.failOnceSweep(dir));
        assertTrue(r.allDone(), () -> r.failed() + "\n" + buf);
        assertEquals(3, r.count("completed"));
        assertTrue(Files.exists(dir.resolve("seed1").resolve(FailOnceCodec.MARKER)), "the first attempt ran and failed");
        for (String id : List.of("seed0", "seed1", "seed2")) {
            assertEquals("completed", JSON.readTree(dir.resolve(id).resolve("summary.json").toFile()).path("status").asText(), id);
        }
    }
}
