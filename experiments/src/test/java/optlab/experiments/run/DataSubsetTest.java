package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.data.Sources;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {"source": NAME, "train": n, "test": m}: the first samples of a named dataset, with or without validation. */
class DataSubsetTest {
    @Test
    void parsesAndWritesBackTheSubset() {
        DataSpec d = DataSpec.parse(RunConfig.readTree("{\"source\": \"fashion-mnist\", \"train\": 600, \"test\": 100,"
                + " \"validation\": 50}"), "data");
        assertEquals(new DataSpec.HeldOut(new DataSpec.Subset(new DataSpec.Named("fashion-mnist"), 600, 100), 50), d);
        assertEquals(d, DataSpec.parse(d.toJson(), "data"));
        assertEquals(new DataSpec.Subset(new DataSpec.Named("fashion-mnist"), 0, 100),
                DataSpec.parse(RunConfig.readTree("{\"source\": \"fashion-mnist\", \"test\": 100}"), "data"));
        assertEquals(new DataSpec.Named("fashion-mnist"),
                DataSpec.parse(RunConfig.readTree("{\"source\": \"fashion-mnist\"}"), "data"));
    }

    @Test
    void loadsTheFirstSamples() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Path.of(Sources.FASHION_MNIST_DIR)), "Fashion-MNIST not installed");
        try (Scope scope = Scope.open()) {
            DataSpec.Loaded all = new DataSpec.Named("fashion-mnist").load(DType.F32, scope);
            DataSpec.Loaded sub = DataSpec.parse(RunConfig.readTree("{\"source\": \"fashion-mnist\", \"train\": 600, "
                    + "\"test\": 100, \"validation\": 50}"), "data").load(DType.F32, scope);
            assertEquals(550, sub.train().size());
            assertEquals(50, sub.validation().size());
            assertEquals(100, sub.test().size());
            assertEquals(all.train().features().slice(0, 0, 550).toDoubleArray()[12345],
                    sub.train().features().toDoubleArray()[12345]);
            assertThrows(IllegalArgumentException.class, () -> DataSpec.parse(RunConfig.readTree(
                    "{\"source\": \"fashion-mnist\", \"test\": 10001}"), "data").load(DType.F32, scope));
        }
    }
}
