package optlab.experiments.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an online run ended with, as its summary.json says it. {@code divergedAt} is the step whose training loss
 * (or, at an evaluation, whose parameters) was first non-finite, −1 when none was. Test metrics are NaN when not
 * measured (accuracy always for regression); {@code hessianTop} is NaN unless requested.
 */
public record OnlineResult(Status status, long divergedAt, long stepsDone, double lr, String dtype,
        double finalTestLoss, double finalTestAcc, double bestTestLoss, double bestTestAcc, double lastTrainLoss,
        double hessianTop, double wallSeconds) {

    public enum Status {
        COMPLETED, DIVERGED, FAILED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status of(String key) {
            return valueOf(key.toUpperCase(java.util.Locale.ROOT));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    public boolean diverged() {
        return status == Status.DIVERGED;
    }

    /** The result recorded in {@code folder/summary.json}, if the run finished there (completed or diverged). */
    public static Optional<OnlineResult> read(Path folder) throws IOException {
        Path file = folder.resolve(optlab.experiments.run.RunFolder.SUMMARY);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode s = JSON.readTree(file.toFile());
        Status status;
        try {
            status = Status.of(s.path("status").asText(""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (status == Status.FAILED) {
            return Optional.empty();
        }
        JsonNode fin = s.path("final"), best = s.path("best");
        return Optional.of(new OnlineResult(status, s.path("diverged_at").isNumber() ? s.path("diverged_at").asLong() : -1, s.path("steps_done").asLong(),
                num(s.path("lr")), s.path("dtype").asText(), num(fin.path("test_loss")), num(fin.path("test_acc")),
                num(best.path("test_loss")), num(best.path("test_acc")), num(fin.path("train_loss")),
                num(s.path("hessian_top")), num(s.path("wall_seconds"))));
    }

    private static double num(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** Puts {@code v}, or null when it is not finite ({@link optlab.experiments.run.JsonNumbers#put}). */
    static void put(ObjectNode o, String field, double v) {
        optlab.experiments.run.JsonNumbers.put(o, field, v);
    }
}
