package optlab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.cli.SweepJobs;
import optlab.experiments.sweep.JobCodec;
import optlab.experiments.sweep.SweepJob;

/**
 * optlab's job kinds plus "fail-once": a job that throws on its first attempt (leaving a marker file in its folder)
 * and runs its inner job on the next, to test retries.
 */
final class FailOnceCodec implements JobCodec {
    private static final long serialVersionUID = 1L;
    static final String MARKER = "first-attempt-failed";

    @Override
    public SweepJob decode(JsonNode json, PrintStream log) {
        if (json.path("kind").asText().equals("fail-once")) {
            return new FailOnce(SweepJobs.CODEC.decode(json.get("inner"), log));
        }
        return SweepJobs.CODEC.decode(json, log);
    }

    record FailOnce(SweepJob inner) implements SweepJob {
        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public Path folder() {
            return inner.folder();
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            o.put("kind", "fail-once");
            o.set("inner", inner.toJson());
            return o;
        }

        @Override
        public void run() throws Exception {
            Path marker = folder().resolve(MARKER);
            if (!Files.exists(marker)) {
                Files.createDirectories(folder());
                Files.writeString(marker, "");
                throw new IOException("made to fail on its first attempt");
            }
            inner.run();
        }
    }
}
