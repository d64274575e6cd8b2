package optlab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import optlab.experiments.sweep.Executor;
import optlab.experiments.sweep.JobAttempt;
import optlab.experiments.sweep.JobCodec;
import optlab.experiments.sweep.SweepJob;
import optlab.experiments.sweep.SweepReport;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A sweep on Apache Spark: each job not yet done becomes one task (one partition of one element: its JSON
 * description), rebuilt and run on an executor by {@link RunTask}, which writes the job's folder itself — the
 * results folder must therefore be shared by the driver and the workers (one machine for {@code local[N]}, a shared
 * file system on a cluster). What comes back to the driver is each job's outcome.
 *
 * <p>Retries: a lost task (a dead executor) is rescheduled by Spark; a job that fails is thrown back to Spark while
 * attempts are left ({@code spark.task.maxFailures}, or F of {@code local[N,F]}; 1 for plain {@code local[N]}), and
 * recorded as failed in its folder on the last attempt, so one bad job never aborts the sweep. A retried task whose
 * folder is already done (its executor died after the job finished) is reused, not rerun.
 *
 * <p>Configuration beyond the master comes from Spark's own {@code spark.*} system properties (e.g.
 * {@code -Dspark.executor.memory=4g} in OPTLAB_JAVA_OPTS); the UI is off unless {@code spark.ui.enabled} says
 * otherwise.
 */
public final class SparkExecutor implements Executor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\s*(\\d+))?]");

    private final String master;
    private final JobCodec codec;
    private final PrintStream log;
    private final Map<String, String> settings;

    public SparkExecutor(String master, JobCodec codec, PrintStream log) {
        this(master, codec, log, Map.of());
    }

    /** With Spark settings ({@code spark.*} keys) over the defaults and the system properties. */
    SparkExecutor(String master, JobCodec codec, PrintStream log, Map<String, String> settings) {
        if (!master.startsWith("local") && !master.startsWith("spark://")) {
            throw new IllegalArgumentException("--master must be local[N], local[N,F] or spark://HOST:PORT, got '" + master + "'");
        }
        this.master = master;
        this.codec = codec;
        this.log = log;
        this.settings = Map.copyOf(settings);
    }

    @Override
    public String describe() {
        return "Spark at " + master;
    }

    @Override
    public SweepReport runAll(List<? extends SweepJob> jobs) {
        JobAttempt.checkUnique(jobs);
        long start = System.nanoTime();
        SweepReport.Outcome[] outcomes = new SweepReport.Outcome[jobs.size()];
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            outcomes[i] = JobAttempt.ifDone(jobs.get(i));
            if (outcomes[i] == null) {
                ObjectNode t = JsonNodeFactory.instance.objectNode();
                t.put("index", i);
                t.set("job", jobs.get(i).toJson());
                tasks.add(t.toString());
            }
        }
        log.printf(Locale.ROOT, "sweep: %d runs, %d already done, %d to run on Spark at %s%n", jobs.size(),
                jobs.size() - tasks.size(), tasks.size(), master);
        if (tasks.isEmpty()) {
            return new SweepReport(List.of(outcomes), 0);
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("optlab sweep").setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.log.level", "WARN"); // Spark's INFO lines would bury the sweep's progress
        settings.forEach(conf::set);
        // Executors in their own JVMs (a cluster) need what this JVM was started with: Spark's JDK 25 flags, which
        // include the Vector API and native access that optlab's kernels use.
        conf.setIfMissing("spark.executor.extraJavaOptions", JavaModuleOptions.defaultModuleOptions());
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            List<String> results = spark.parallelize(tasks, tasks.size())
                    .map(new RunTask(codec, maxFailures(master, spark.getConf()))).collect();
            int failed = 0;
            for (String r : results) {
                JsonNode n = JSON.readTree(r);
                int i = n.get("index").asInt();
                SweepJob job = jobs.get(i);
                outcomes[i] = new SweepReport.Outcome(job.id(), job.folder(), n.get("status").asText(),
                        n.get("reused").asBoolean(), n.get("error").isNull() ? null : n.get("error").asText(),
                        n.get("seconds").asDouble());
                failed += outcomes[i].done() ? 0 : 1;
                log.printf(Locale.ROOT, "sweep: %s %s in %.1f s%s%n", job.id(), outcomes[i].status(), outcomes[i].seconds(),
                        outcomes[i].error() == null ? "" : ": " + outcomes[i].error());
            }
            log.printf(Locale.ROOT, "sweep: %d runs done on Spark%s%n", results.size(),
                    failed > 0 ? " (" + failed + " failed)" : "");
        } catch (IOException e) {
            throw new UncheckedIOException("Spark: unreadable task result: " + e.getMessage(), e);
        }
        return new SweepReport(List.of(outcomes), (System.nanoTime() - start) * 1e-9);
    }

    /** Attempts per task: F of local[N,F] (1 for plain local mode, as Spark has it), else spark.task.maxFailures. */
    static int maxFailures(String master, SparkConf conf) {
        Matcher m = LOCAL.matcher(master);
        if (master.startsWith("local")) {
            return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 1;
        }
        return conf.getInt("spark.task.maxFailures", 4);
    }
}
