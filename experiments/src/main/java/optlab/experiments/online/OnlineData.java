package optlab.experiments.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import optlab.experiments.data.DataStream;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.Normalization;
import optlab.experiments.data.Sources;
import optlab.experiments.data.TeacherStudent;
import optlab.experiments.run.ConfigException;
import optlab.experiments.run.JsonFields;
import optlab.tensor.DType;
import optlab.tensor.Scope;

/**
 * Where an online run's samples come from: a truly endless synthetic teacher–student stream, or a finite image
 * set (Fashion-MNIST, MNIST, CIFAR-10) made into an approximate stream by augmentation. Either way the held-out
 * test set is fixed by the data spec alone (not the run's seed), so every run of a sweep is scored on the same
 * samples.
 */
public sealed interface OnlineData {

    /** An opened source: the training stream, the test set, and the model outputs it needs. */
    record Opened(DataStream train, Dataset test, int outputs) {
        public boolean classification() {
            return test.isClassification();
        }
    }

    /** Opens the stream of a run with seed {@code seed}; tensors live in {@code scope}. */
    Opened open(DType dtype, long seed, Scope scope) throws IOException;

    JsonNode toJson();

    /** Mixes a seed with a constant, so the streams derived from one seed are unrelated. */
    static long derive(long seed, long salt) {
        long z = seed + salt * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@link TeacherStudent}(dim, hidden, activation, noise, taskSeed) regression; {@code test} held-out samples. */
    record TeacherStudentData(int dim, int hidden, TeacherStudent.Activation activation, double noise, long taskSeed,
            int test) implements OnlineData {
        @Override
        public Opened open(DType dtype, long seed, Scope scope) {
            TeacherStudent task = new TeacherStudent(dim, hidden, activation, noise, taskSeed);
            Dataset testSet = task.dataset(test, dtype, derive(taskSeed, 1), scope);
            return new Opened(task.stream(derive(seed, 2)), testSet, 1);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("source", "teacher-student");
            o.put("dim", dim);
            o.put("hidden", hidden);
            o.put("activation", activation.name().toLowerCase(Locale.ROOT));
            o.put("noise", noise);
            o.put("task_seed", taskSeed);
            o.put("test", test);
            return o;
        }
    }

    /** A {@link Sources} image set streamed with {@code augmentation}; the first {@code test} test-split samples. */
    record ImageData(String source, Augmentation augmentation, int test) implements OnlineData {
        @Override
        public Opened open(DType dtype, long seed, Scope scope) throws IOException {
            Dataset train = Sources.load(source, Sources.Part.TRAIN, dtype, Normalization.unit(), scope);
            Dataset all = Sources.load(source, Sources.Part.TEST, dtype, Normalization.unit(), scope);
            Dataset testSet = all.rows(0, Math.min(test, all.size()));
            return new Opened(new AugmentedStream(train, augmentation, derive(seed, 3)), testSet, train.numClasses());
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("source", source);
            ObjectNode a = o.putObject("augment");
            a.put("pad", augmentation.pad());
            a.put("flip", augmentation.flip());
            a.put("noise", augmentation.noise());
            o.put("test", test);
            return o;
        }
    }

    /**
     * {"source": "teacher-student", "dim": 32, "hidden": 32, "activation": "tanh", "noise": 0, "task_seed": 0,
     * "test": 2000}, or {"source": "fashion-mnist" | "mnist:DIR" | "cifar10:DIR" | ..., "augment": {"pad": 2,
     * "flip": (true except for mnist), "noise": 0.02}, "test": 10000}; a bare string names a source with defaults.
     */
    static OnlineData parse(JsonNode node, String path) {
        if (node == null) {
            throw new ConfigException(path, "is required (e.g. {\"source\": \"teacher-student\"} or \"fashion-mnist\")");
        }
        if (node.isTextual()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("source", node.asText());
            node = o;
        }
        JsonFields f = new JsonFields(node, path);
        String source = f.requiredString("source");
        if (source.equals("teacher-student")) {
            int dim = (int) f.integer("dim", 32, 1, 1 << 20);
            int hidden = (int) f.integer("hidden", 32, 1, 1 << 20);
            String act = f.string("activation", "tanh");
            TeacherStudent.Activation a = switch (act) {
                case "tanh" -> TeacherStudent.Activation.TANH;
                case "relu" -> TeacherStudent.Activation.RELU;
                default -> throw new ConfigException(f.at("activation"), "must be tanh or relu, got '" + act + "'");
            };
            double noise = f.real("noise", 0, 0, 1e6);
            long taskSeed = f.integer("task_seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
            int test = (int) f.integer("test", 2000, 1, 1 << 24);
            f.finish();
            return new TeacherStudentData(dim, hidden, a, noise, taskSeed, test);
        }
        boolean digits = source.startsWith("mnist");
        Augmentation aug = new Augmentation(2, !digits, 0.02);
        if (f.has("augment")) {
            JsonFields a = new JsonFields(f.node("augment"), f.at("augment"));
            aug = new Augmentation((int) a.integer("pad", aug.pad(), 0, 64), a.bool("flip", aug.flip()),
                    a.real("noise", aug.noise(), 0, 1e3));
            a.finish();
        }
        int test = (int) f.integer("test", 10_000, 1, 1 << 24);
        f.finish();
        return new ImageData(source, aug, test);
    }
}
