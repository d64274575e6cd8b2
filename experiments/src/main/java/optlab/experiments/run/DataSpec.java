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
import optlab.experiments.data.Split;
import optlab.tensor.DType;
import optlab.tensor.Scope;

/**
 * Where a run's training and test samples come from: a named dataset of {@link Sources} (or a folder of IDX
 * files), or a synthetic Gaussian mixture whose samples are fixed by its own task seed, not the run's seed.
 */
public sealed interface DataSpec {

    /** The training and test sets of one run, and a validation set held out of training (null when none). */
    record Loaded(Dataset train, Dataset test, Dataset validation) {
        public Loaded(Dataset train, Dataset test) {
            this(train, test, null);
        }
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
     * {@code inner} with its last {@code validation} training samples (file order, {@link Split#last}: views, no
     * copy) held out of training and evaluated as the validation set. Written {"source": ..., "validation": n}.
     */
    record HeldOut(DataSpec inner, int validation) implements DataSpec {
        @Override
        public Loaded load(DType dtype, Scope scope) throws IOException {
            Loaded all = inner.load(dtype, scope);
            if (validation >= all.train().size()) {
                throw new IllegalArgumentException("data.validation: " + validation + " samples would leave nothing to "
                        + "train on in " + all.train().name() + " (" + all.train().size() + " samples)");
            }
            Split split = Split.last(all.train(), validation);
            return new Loaded(split.train(), all.test(), split.validation());
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = objectForm(inner);
            o.put("validation", validation);
            return o;
        }
    }

    /**
     * The first {@code train} training and first {@code test} test samples of {@code inner} (file order, views: no
     * copy; 0 keeps all): a small, fixed subset for quick sweeps. Written {"source": ..., "train": n, "test": m}.
     */
    record Subset(DataSpec inner, int train, int test) implements DataSpec {
        @Override
        public Loaded load(DType dtype, Scope scope) throws IOException {
            Loaded all = inner.load(dtype, scope);
            return new Loaded(first(all.train(), train, "train"), first(all.test(), test, "test"), all.validation());
        }

        private static Dataset first(Dataset d, int n, String field) {
            if (n == 0) {
                return d;
            }
            if (n > d.size()) {
                throw new IllegalArgumentException("data." + field + ": " + n + " samples asked, " + d.name() + " has "
                        + d.size());
            }
            return d.rows(0, n);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = objectForm(inner);
            if (train > 0) {
                o.put("train", train);
            }
            if (test > 0) {
                o.put("test", test);
            }
            return o;
        }
    }

    /** {@code spec}'s JSON as an object (a copy), a bare name becoming {"source": name}, for wrappers to add fields to. */
    private static ObjectNode objectForm(DataSpec spec) {
        JsonNode in = spec.toJson();
        if (in.isObject()) {
            return ((ObjectNode) in).deepCopy();
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("source", in);
        return o;
    }

    /**
     * A string names a dataset of {@link Sources}; an existing folder (without a scheme) means the IDX files in
     * it. An object {"source": "gaussian-mixture", ...} describes a synthetic task; in the object form,
     * {@code "validation": n} holds the last n training samples out as a validation set ({@link HeldOut}), and for a
     * named source {@code "train": n, "test": m} keep the first n training and m test samples ({@link Subset}; the
     * validation samples are then the last of those n).
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
        int validation = (int) f.integer("validation", 0, 0, Integer.MAX_VALUE);
        if (!source.equals("gaussian-mixture")) {
            int train = (int) f.integer("train", 0, 0, Integer.MAX_VALUE);
            int test = (int) f.integer("test", 0, 0, Integer.MAX_VALUE);
            f.finish();
            DataSpec named = parse(node.get("source"), f.at("source"));
            if (train > 0 || test > 0) {
                named = new Subset(named, train, test);
            }
            return validation > 0 ? new HeldOut(named, validation) : named;
        }
        Mixture m = new Mixture((int) f.integer("classes", 3, 2, 1 << 20), (int) f.integer("dim", 8, 1, 1 << 24),
                f.real("separation", 4, 0, 1e6), f.real("noise", 1, 0, 1e6), f.integer("task_seed", 0, Long.MIN_VALUE,
                        Long.MAX_VALUE), (int) f.integer("train", 1024, 1, Integer.MAX_VALUE),
                (int) f.integer("test", 512, 1, Integer.MAX_VALUE));
        f.finish();
        return validation > 0 ? new HeldOut(m, validation) : m;
    }
}
