package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.run.RunConfig;
import optlab.experiments.run.Trainer;

/**
 * An ordinary training run as a sweep job: the {@link Trainer} writes steps.csv, evals.csv and summary.json into
 * the config's {@code out} folder, and its log (which would interleave with other workers' on a console) into
 * {@code log.txt} beside them.
 */
public record TrainJob(String id, RunConfig config) implements SweepJob {
    public static final String LOG = "log.txt";
    /** The {@code "kind"} of its JSON description: {@code {"kind": "train", "id": ..., "config": {...}}}. */
    public static final String KIND = "train";

    /** The job {@link #toJson} described; a bad config throws naming the field. */
    public static TrainJob fromJson(JsonNode json) {
        if (!json.path("id").isTextual() || !json.path("config").isObject()) {
            throw new IllegalArgumentException("train job: needs a text \"id\" and an object \"config\", got " + json);
        }
        return new TrainJob(json.get("id").asText(), RunConfig.parse(json.get("config")));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("kind", KIND);
        o.put("id", id);
        o.set("config", config.toJson());
        return o;
    }

    @Override
    public Path folder() {
        return config.out();
    }

    @Override
    public void run() throws IOException {
        Files.createDirectories(folder());
        try (OutputStream file = Files.newOutputStream(folder().resolve(LOG));
             PrintStream log = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            new Trainer(config, log).run();
        }
    }
}
