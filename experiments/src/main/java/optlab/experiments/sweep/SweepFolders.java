package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.run.AtomicFiles;

/**
 * What a job folder's {@code summary.json} says about it. Its {@code "status"}: "running" while a job goes on,
 * then "completed", "diverged" (both final: the folder is done and a resumed sweep skips it) or "failed". A
 * missing or unreadable summary, or any other status, means not done: the job runs again.
 */
public final class SweepFolders {
    public static final String SUMMARY = optlab.experiments.run.RunFolder.SUMMARY;
    public static final String COMPLETED = "completed";
    public static final String DIVERGED = "diverged";
    public static final String FAILED = "failed";
    /** Status of a folder without a readable summary.json. */
    public static final String MISSING = "missing";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepFolders() {
    }

    /** True when the folder's job finished: status completed or diverged. */
    public static boolean done(Path folder) {
        return isFinal(status(folder));
    }

    static boolean isFinal(String status) {
        return COMPLETED.equals(status) || DIVERGED.equals(status);
    }

    /** The folder's status, or {@link #MISSING} when summary.json is absent, half-readable or has no status. */
    public static String status(Path folder) {
        JsonNode s = summary(folder);
        return s != null && s.path("status").isTextual() ? s.path("status").asText() : MISSING;
    }

    /** The folder's summary.json as a JSON object, or null when absent or unreadable. */
    public static ObjectNode summary(Path folder) {
        Path file = folder.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes {@code summary} as the folder's summary.json, atomically. */
    public static void writeSummary(Path folder, ObjectNode summary) throws IOException {
        AtomicFiles.write(folder.resolve(SUMMARY), JSON.writeValueAsString(summary) + "\n");
    }

    /**
     * Records that job {@code id} failed: keeps what its summary.json already says (config, progress), sets
     * "status" to failed and "error" to {@code error} (unless the job already wrote a failed summary with its own).
     */
    static void markFailed(Path folder, String id, String error) throws IOException {
        ObjectNode s = summary(folder);
        if (s != null && FAILED.equals(s.path("status").asText()) && s.hasNonNull("error")) {
            return;
        }
        if (s == null) {
            s = JsonNodeFactory.instance.objectNode();
            s.put("name", id);
        }
        s.put("status", FAILED);
        s.put("error", error);
        writeSummary(folder, s);
    }
}
