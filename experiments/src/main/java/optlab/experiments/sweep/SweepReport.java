package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/** How each job of a sweep ended, in the order the jobs were given, and the sweep's wall time. */
public record SweepReport(List<Outcome> outcomes, double wallSeconds) {

    /**
     * One job: {@code status} completed, diverged or failed (from its folder, or failed with {@code error} when it
     * threw or did not write a final summary), or "not run" when the sweep was interrupted first; {@code reused}
     * when it was already done and skipped; {@code seconds} of this sweep spent on it (0 when reused).
     */
    public record Outcome(String id, Path folder, String status, boolean reused, String error, double seconds) {
        public boolean done() {
            return SweepFolders.isFinal(status);
        }
    }

    public static final String NOT_RUN = "not run";

    public SweepReport {
        outcomes = List.copyOf(outcomes);
    }

    /** True when every job's folder is done (completed or diverged). */
    public boolean allDone() {
        return outcomes.stream().allMatch(Outcome::done);
    }

    public List<Outcome> failed() {
        return outcomes.stream().filter(o -> !o.done()).toList();
    }

    public long count(String status) {
        return outcomes.stream().filter(o -> o.status().equals(status)).count();
    }

    public long reused() {
        return outcomes.stream().filter(Outcome::reused).count();
    }

    /** The counts a recipe's summary.json gives: runs, completed, diverged, failed, reused, wall_seconds. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("runs", outcomes.size());
        o.put("completed", count(SweepFolders.COMPLETED));
        o.put("diverged", count(SweepFolders.DIVERGED));
        o.put("failed", failed().size());
        o.put("reused", reused());
        o.put("wall_seconds", wallSeconds);
        return o;
    }
}
