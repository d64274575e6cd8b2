package optlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closure a training step hands to oracle rules: at the same parameters it returns the same gradient twice, bit
 * for bit, and the step's own gradient (same dropout masks, BatchNorm on the batch's statistics); it restores the
 * running statistics and step counter, and in preserving mode the gradients too.
 */
class ModelOracleTest {
    private static final String[] SPECS = {"mlp:6-16-16-3,dropout=0.5", "resnet:blocks=1-1,width=4,classes=3"};

    private static double[] buffers(Model m) {
        List<Double> all = new ArrayList<>();
        for (Buffer b : m.namedBuffers().values()) {
            for (double v : b.value().toDoubleArray()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void sameParametersSameGradientAndTheStepsOwn(int which) {
        String spec = SPECS[which];
        boolean image = spec.startsWith("resnet");
        try (Backend cpu = Backends.cpu(1); BufferPool pool = new BufferPool(); Scope s = Scope.open();
             Model m = Model.build(Zoo.parse(spec), DType.F64, InitScheme.PYTORCH, 3)) {
            SplittableRandom rng = new SplittableRandom(9);
            Tensor x = image ? s.uniform(DType.F64, rng, -1, 1, 4, 3, 8, 8) : s.uniform(DType.F64, rng, -1, 1, 5, 6);
            Tensor y = s.empty(DType.F64, x.dim(0));
            for (int i = 0; i < x.dim(0); i++) {
                y.setFlat(i, i % 3);
            }
            BatchLoss loss = g -> g.crossEntropy(m.forward(g, Variable.constant(x)), y);
            // The step's own forward and backward, as the loop runs them.
            long before = m.step();
            m.zeroGrad();
            try (Graph g = Graph.open(cpu, pool)) {
                g.backward(loss.loss(g));
            }
            double[] own = m.gradients().toDoubleArray();
            double[] statsAfterForward = buffers(m);
            long stepAfter = m.step();

            try (ModelOracle oracle = ModelOracle.create(m, cpu, pool, false).bind(loss, before)) {
                Tensor g1 = s.empty(DType.F64, (int) m.numParameters()), g2 = s.empty(DType.F64, (int) m.numParameters());
                oracle.gradient(m.parameters(), g1);
                oracle.gradient(m.parameters(), g2);
                assertArrayEquals(own, g1.toDoubleArray(), "the oracle at w_t is the step's own gradient");
                assertArrayEquals(g1.toDoubleArray(), g2.toDoubleArray(), "twice the same, bit for bit");
                assertArrayEquals(statsAfterForward, buffers(m), "running statistics restored");
                assertEquals(stepAfter, m.step(), "step counter restored");
                assertEquals(2, oracle.calls());
                // At other parameters (a trial point held outside the model): copied in, and the block restored.
                double[] w = m.parameters().toDoubleArray();
                Tensor trial = s.empty(DType.F64, w.length);
                for (int i = 0; i < w.length; i++) {
                    trial.setFlat(i, w[i] + 1e-2 * Math.sin(i));
                }
                oracle.gradient(trial, g1);
                assertArrayEquals(w, m.parameters().toDoubleArray(), "the model's parameters are put back");
                assertFalse(java.util.Arrays.equals(own, g1.toDoubleArray()), "another point, another gradient");
            }
            // Preserving mode leaves the gradient block alone.
            m.gradients().copyFrom(s.of(DType.F64, own, own.length));
            try (ModelOracle keep = ModelOracle.create(m, cpu, pool, true).bind(loss, before)) {
                Tensor trialGrad = s.empty(DType.F64, own.length);
                keep.gradient(m.parameters(), trialGrad);
                assertArrayEquals(own, m.gradients().toDoubleArray());
                assertArrayEquals(own, trialGrad.toDoubleArray());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0})
    void unboundAndMismatchedCallsFailClearly(int unused) {
        try (Backend cpu = Backends.cpu(1); Scope s = Scope.open();
             Model m = Model.build(Zoo.parse("mlp:4-3"), DType.F32, InitScheme.PYTORCH, 1);
             ModelOracle o = ModelOracle.create(m, cpu, null, false)) {
            Tensor g = s.empty(DType.F32, (int) m.numParameters());
            assertThrows(IllegalStateException.class, () -> o.gradient(m.parameters(), g));
            o.bind(gr -> gr.crossEntropy(m.forward(gr, Variable.constant(s.zeros(DType.F32, 2, 4))),
                    s.zeros(DType.F32, 2)), 0);
            Tensor wrong = s.empty(DType.F32, 3);
            assertThrows(IllegalArgumentException.class, () -> o.gradient(m.parameters(), wrong));
        }
    }
}
