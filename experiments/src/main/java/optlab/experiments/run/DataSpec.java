package optlab.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.GaussianMixture;
import optlab.experiments.data.Normalization;
import optlab.experiments.data.Sources;
import optlab.tensor.DType;
import optlab.tensor.Scope;

/**
 * Where a run's training and test samples come from: a named dataset of {@link Sources} (or a folder of IDX
 * files), or a synthetic Gaussian mixture whose samples are fixed by its own task seed, not the run's seed.
 */
public sealed interface DataSpec {

    /** The training and test sets of one run. */
    record Loaded(Dataset train, Dataset test) {
    }

    Loaded load(DType dtype, Scope scope) throws IOException;

    JsonNode toJson();

    /** A {@link Sources} name ("fashion-mnist", "cifar10:DIR", ...); pixels scaled to [0, 1]. */
    record Named(String source) implements DataSpec {
        @Override
        public Loaded load(DType dtype, Scope scope) throws IOException {
            return new Loaded(Sources.load(source, Sources.Part.TRAIN, dtype, Normalization.unit(), scope),
                    Sources.load(source, Sources.Part.TEST, dtype, Normalization.unit(), scope));
        }

        @Override
        public JsonNode toJson() {
            return JsonNodeFactory.instance.textNode(source);
        }
    }

    /** {@link GaussianMixture}(classes, dim, separation, noise, taskSeed): {@code train} and {@code test} samples. */
    record Mixture(int classes, int dim, double separation, double noise, long taskSeed, int train, int test)
            implements DataSpec {
        @Override
        public Loaded load(DType dtype, Scope scope) {
            GaussianMixture task = new GaussianMixture(classes, dim, separation, noise, taskSeed);
            // Train and test draw from two sample streams of the task seed, so they never share samples.
            return new Loaded(task.dataset(train, dtype, 2 * taskSeed + 1, scope),
                    task.dataset(test, dtype, 2 * taskSeed + 2, scope));
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("source", "gaussian-mixture");
            o.put("classes", classes);
            o.put("dim", dim);
            o.put("separation", separation);
            o.put("noise", noise);
            o.put("task_seed", taskSeed);
            o.put("train", train);
            o.put("test", test);
            return o;
        }
    }

    /**
     * A string names a dataset of {@link Sources}; an existing folder (without a scheme) means the IDX files in
     * it. An object {"source": "gaussian-mixture", ...} describes a synthetic task.
     */
    static DataSpec parse(JsonNode node, String path) {
        if (node == null) {
            throw new ConfigException(path, "is required (e.g. \"fashion-mnist\" or {\"source\": \"gaussian-mixture\"})");
        }
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (s.isEmpty()) {
                throw new ConfigException(path, "must not be empty");
            }
            if (!s.contains(":") && Files.isDirectory(Path.of(s))) {
                return new Named("fashion-mnist:" + s);
            }
            return new Named(s);
        }
        JsonFields f = new JsonFields(node, path);
        String source = f.requiredString("source");
        if (!source.equals("gaussian-mixture")) {
            if (node.size() > 1) {
                f.finish();
            }
            return parse(node.get("source"), f.at("source"));
        }
        Mixture m = new Mixture((int) f.integer("classes", 3, 2, 1 << 20), (int) f.integer("dim", 8, 1, 1 << 24),
                f.real("separation", 4, 0, 1e6), f.real("noise", 1, 0, 1e6), f.integer("task_seed", 0, Long.MIN_VALUE,
                        Long.MAX_VALUE), (int) f.integer("train", 1024, 1, Integer.MAX_VALUE),
                (int) f.integer("test", 512, 1, Integer.MAX_VALUE));
        f.finish();
        return m;
    }
}
