package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {"source": ..., "train": n, "validation": v}: the first n training samples, the last v of them held out. */
class TrainSubsetTest {
    @Test
    void firstSamplesThenValidationFromThem(@TempDir Path tmp) throws IOException {
        Path idx = JitDeterminismTest.idxFolder(tmp);
        String json = "{\"source\": \"" + idx + "\", \"train\": 30, \"validation\": 10}";
        DataSpec spec = DataSpec.parse(RunConfig.readTree(json), "data");
        assertEquals(spec, DataSpec.parse(spec.toJson(), "data")); // round trip
        try (Scope s = Scope.open()) {
            DataSpec.Loaded all = DataSpec.parse(JsonNodeFactory.instance.textNode(idx.toString()), "data")
                    .load(DType.F32, s);
            DataSpec.Loaded sub = spec.load(DType.F32, s);
            assertEquals(20, sub.train().size());
            assertEquals(10, sub.validation().size());
            assertEquals(all.test().size(), sub.test().size());
            // Validation = training samples 20..29 of the file.
            assertEquals(all.train().targets().getFlat(20), sub.validation().targets().getFlat(0));
            assertEquals(all.train().targets().getFlat(29), sub.validation().targets().getFlat(9));
            DataSpec tooMany = DataSpec.parse(RunConfig.readTree("{\"source\": \"" + idx + "\", \"train\": 1000}"), "data");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> tooMany.load(DType.F32, s)).getMessage()
                    .contains("data.train"));
        }
    }
}
