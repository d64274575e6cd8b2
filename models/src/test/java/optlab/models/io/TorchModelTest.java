package optlab.models.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.layers.Activation;
import optlab.models.layers.BatchNorm1d;
import optlab.models.layers.Linear;
import optlab.models.layers.Sequential;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.Test;

/**
 * A PyTorch state_dict (make_fixture.py: Linear(4,3), Tanh, Linear(3,2), BatchNorm1d(2) after one training
 * step) loads into the matching optlab model, which then computes PyTorch's evaluation-mode output; the model's
 * state_dict written back reads as the same tensors.
 */
class TorchModelTest {
    static Sequential net() {
        return new Sequential(new Linear(4, 3), Activation.tanh(), new Linear(3, 2), new BatchNorm1d(2));
    }

    @Test
    void torchWeightsGiveTorchOutputsAndWriteBack() throws Exception {
        Map<String, SafeTensorsTest.Expected> forward = forwardFixture();
        Path fixture = SafeTensorsTest.resource("fixture.safetensors");
        try (Model m = Model.build(net(), DType.F32, InitScheme.PYTORCH, 1); Scope s = Scope.open();
             Graph g = Graph.noGrad(Backends.cpu(1), s)) {
            Map<String, Tensor> state = m.stateDict();
            Map<String, Tensor> targets = new LinkedHashMap<>(state);
            targets.put("aux.f64", s.zeros(DType.F64, 2, 3)); // in the fixture, not in the model
            SafeTensors.loadInto(fixture, targets);
            assertEquals(1.0, state.get("3.num_batches_tracked").item(), "I64 counter loads into the F32 buffer");
            Map<String, Tensor> file = SafeTensors.read(fixture, s);
            file.remove("aux.f64");

            m.eval();
            SafeTensorsTest.Expected in = forward.get("input"), out = forward.get("output");
            Tensor y = m.forward(g, Variable.constant(s.of(DType.F32, in.values(), in.shape()))).value();
            assertArrayEquals(out.shape(), y.shape());
            double[] got = y.toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(out.values()[i], got[i], 1e-5 * (1 + Math.abs(out.values()[i])), "output " + i);
            }

            // Back: the model's state_dict as a file (models/target/safetensors/model_written.safetensors is what
            // make_fixture.py --check reads) holds exactly the PyTorch tensors.
            Path back = Path.of("target", "safetensors", "model_written.safetensors");
            Files.createDirectories(back.getParent());
            assertEquals(java.util.Set.of("3.num_batches_tracked"), m.int64Keys());
            SafeTensors.write(back, state, Map.of("format", "pt"), m.int64Keys());
            // PyTorch's dtypes survive the round trip: the counter is I64 again, as in the fixture.
            Map<String, String> types = SafeTensors.storedTypes(fixture);
            types.remove("aux.f64");
            assertEquals(types, SafeTensors.storedTypes(back));
            assertEquals("I64", SafeTensors.storedTypes(back).get("3.num_batches_tracked"));
            Map<String, Tensor> reread = SafeTensors.read(back, s);
            assertEquals(List.copyOf(file.keySet()), List.copyOf(reread.keySet()));
            for (String k : file.keySet()) {
                assertArrayEquals(file.get(k).toDoubleArray(), reread.get(k).toDoubleArray(), 0.0, k);
            }
        }
    }

    @Test
    void countersRoundTripExactlyAndInexactOnesFail() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "safetensors"));
        try (Model m64 = Model.build(net(), DType.F64, InitScheme.PYTORCH, 1); Model m32 = Model.build(net(), DType.F32,
                InitScheme.PYTORCH, 1); Model back = Model.build(net(), DType.F64, InitScheme.PYTORCH, 2)) {
            // A count beyond float's 2^24 but within double's 2^53 goes through I64 bit for bit into F64 ...
            double big = 0x1p40 + 1;
            m64.stateDict().get("3.num_batches_tracked").setFlat(0, big);
            Path f = dir.resolve("counter_big.safetensors");
            SafeTensors.write(f, m64.stateDict(), Map.of(), m64.int64Keys());
            SafeTensors.loadInto(f, back.stateDict());
            assertEquals(big, back.stateDict().get("3.num_batches_tracked").item());
            // ... but not into an F32 buffer, where it would round: the load fails and writes nothing.
            String key = "3.num_batches_tracked";
            Path one = dir.resolve("counter_only.safetensors");
            SafeTensors.write(one, Map.of(key, m64.stateDict().get(key)), Map.of(), java.util.Set.of(key));
            Tensor small = m32.stateDict().get(key);
            small.setFlat(0, 7);
            String msg = assertThrows(SafeTensorsException.class, () -> SafeTensors.loadInto(one, Map.of(key, small)))
                    .getMessage();
            assertTrue(msg.contains(key) && msg.contains("1099511627777") && msg.contains("F32"), msg);
            assertEquals(7.0, small.item());
            // A fraction cannot be stored as I64; nor can a name that is not there.
            m64.stateDict().get("3.num_batches_tracked").setFlat(0, 2.5);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> SafeTensors.write(dir.resolve("bad.safetensors"), m64.stateDict(), Map.of(), m64.int64Keys()))
                    .getMessage();
            assertTrue(msg.contains("3.num_batches_tracked") && msg.contains("2.5"), msg);
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("bad.safetensors"),
                    m64.stateDict(), Map.of(), java.util.Set.of("nope")));
            assertTrue(Files.notExists(dir.resolve("bad.safetensors")));
        }
    }

    @Test
    void aFileForAnotherModelFailsNamingTheKeys() throws Exception {
        Path fixture = SafeTensorsTest.resource("fixture.safetensors");
        try (Model m = Model.build(new Sequential(new Linear(4, 3), Activation.tanh(), new Linear(3, 2)), DType.F32,
                InitScheme.PYTORCH, 1)) {
            String msg = assertThrows(SafeTensorsException.class, () -> SafeTensors.loadInto(fixture, m.stateDict()))
                    .getMessage();
            assertTrue(msg.contains("unexpected in file [3.bias, 3.num_batches_tracked, 3.running_mean, "
                    + "3.running_var, 3.weight, aux.f64]") && msg.contains("missing from file []"), msg);
        }
    }

    static Map<String, SafeTensorsTest.Expected> forwardFixture() throws Exception {
        return SafeTensorsTest.parse(Files.readAllLines(SafeTensorsTest.resource("fixture_forward.txt")));
    }
}
