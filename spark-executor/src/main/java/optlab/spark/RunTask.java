package optlab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import optlab.experiments.sweep.JobAttempt;
import optlab.experiments.sweep.JobCodec;
import optlab.experiments.sweep.SweepJob;
import optlab.experiments.sweep.SweepReport;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * One Spark task: {@code {"index": I, "job": DESCRIPTION}} in, the job's outcome as JSON out
 * ({@code index, status, reused, error, seconds}). A failed job is thrown back to Spark while attempts are left, so
 * Spark retries it; on the last attempt its failure is returned (and recorded in its folder).
 */
final class RunTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobCodec codec;
    private final int maxFailures;

    RunTask(JobCodec codec, int maxFailures) {
        this.codec = codec;
        this.maxFailures = maxFailures;
    }

    @Override
    public String call(String task) throws Exception {
        JsonNode t = JSON.readTree(task);
        PrintStream log = System.out; // the executor's stdout: the driver's console in local mode, its log on a cluster
        SweepJob job = codec.decode(t.get("job"), log);
        SweepReport.Outcome o = JobAttempt.ifDone(job);
        if (o == null) {
            TaskContext ctx = TaskContext.get();
            int attempt = ctx == null ? 0 : ctx.attemptNumber();
            log.printf(Locale.ROOT, "sweep: start %s (Spark task attempt %d of %d)%n", job.id(), attempt + 1, maxFailures);
            o = JobAttempt.run(job, log);
            if (!o.done() && attempt + 1 < maxFailures) {
                throw new IllegalStateException("job " + job.id() + " failed on attempt " + (attempt + 1) + " of "
                        + maxFailures + " (Spark retries it): " + o.error());
            }
        }
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("index", t.get("index").asInt());
        r.put("status", o.status());
        r.put("reused", o.reused());
        r.put("error", o.error());
        r.put("seconds", o.seconds());
        return r.toString();
    }
}
