package optlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import optlab.models.init.InitScheme;
import optlab.models.layers.Activation;
import optlab.models.layers.BatchNorm1d;
import optlab.models.layers.Linear;
import optlab.models.layers.Sequential;
import optlab.optim.OptimizerState;
import optlab.optim.SGD;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The contiguous parameter block, the state dict, seeding, and optimizers stepping over the block. */
class ModelTest {
    private static final Backend CPU = Backends.cpu(2);

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static Sequential net() {
        return new Sequential(new Linear(3, 4), Activation.relu(), new BatchNorm1d(4), new Linear(4, 2));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void parametersAreSlicesOfOneBlockInStateDictOrder(DType dtype) {
        try (Model m = Model.build(net(), dtype, InitScheme.PYTORCH, 1)) {
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias"),
                    List.copyOf(m.namedParameters().keySet()));
            assertEquals(12 + 4 + 4 + 4 + 8 + 2, m.numParameters());
            Tensor block = m.parameters(), grads = m.gradients();
            assertEquals(1, block.rank());
            assertEquals(dtype, block.dtype());
            long expectedOffset = 0;
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                Tensor v = e.getValue().value(), g = e.getValue().grad();
                assertSame(block.segment(), v.segment(), e.getKey());
                assertSame(grads.segment(), g.segment(), e.getKey());
                assertEquals(block.offset() + expectedOffset, v.offset(), e.getKey());
                assertEquals(grads.offset() + expectedOffset, g.offset(), e.getKey());
                assertEquals(expectedOffset, m.parameterBlock().offset(e.getKey()));
                assertTrue(v.isContiguous());
                expectedOffset += v.numel();
            }
            // Writing through the block is visible in the view, and the other way round.
            Tensor w2 = m.parameter("3.weight").value();
            long off = m.parameterBlock().offset("3.weight");
            block.setFlat(off + 5, 42.0);
            assertEquals(42.0, w2.get(1, 1));
            w2.set(-7.0, 0, 2);
            assertEquals(-7.0, block.getFlat(off + 2));
        }
    }

    @Test
    void stateDictHasParametersAndBuffersInPyTorchOrder() {
        try (Model m = Model.build(net(), DType.F32, InitScheme.PYTORCH, 1)) {
            Map<String, Tensor> sd = m.stateDict();
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var",
                    "2.num_batches_tracked", "3.weight", "3.bias"), List.copyOf(sd.keySet()));
            assertArrayEquals(new int[] {4, 3}, sd.get("0.weight").shape());
            assertArrayEquals(new int[] {}, sd.get("2.num_batches_tracked").shape());
            assertEquals(0.0, sd.get("2.running_mean").getFlat(3));
            assertEquals(1.0, sd.get("2.running_var").getFlat(3));
            assertSame(m.parameter("0.weight").value(), sd.get("0.weight"));
            assertEquals(List.of("2.running_mean", "2.running_var", "2.num_batches_tracked"),
                    List.copyOf(m.namedBuffers().keySet()));
        }
    }

    @Test
    void loadStateDictCopiesEverythingOrNothing() {
        try (Model a = Model.build(net(), DType.F32, InitScheme.PYTORCH, 1);
                Model b = Model.build(net(), DType.F64, InitScheme.HE, 2); Scope s = Scope.open()) {
            a.stateDict().get("2.running_var").setFlat(1, 3.5);
            b.loadStateDict(a.stateDict());
            assertArrayEquals(a.parameters().toDoubleArray(), b.parameters().toDoubleArray());
            assertEquals(3.5, b.stateDict().get("2.running_var").getFlat(1));

            Map<String, Tensor> bad = new java.util.LinkedHashMap<>(a.stateDict());
            bad.remove("3.bias");
            bad.put("4.weight", s.zeros(DType.F32, 1));
            var e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
            assertTrue(e.getMessage().contains("[3.bias]") && e.getMessage().contains("[4.weight]"), e.getMessage());

            Map<String, Tensor> wrong = new java.util.LinkedHashMap<>(a.stateDict());
            wrong.put("0.weight", s.zeros(DType.F32, 3, 4));
            double before = b.parameters().getFlat(0);
            var w = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong));
            assertTrue(w.getMessage().contains("'0.weight'") && w.getMessage().contains("[3, 4]"), w.getMessage());
            assertEquals(before, b.parameters().getFlat(0));
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        try (Model a = Model.build(net(), DType.F64, InitScheme.PYTORCH, 5);
                Model b = Model.build(net(), DType.F64, InitScheme.PYTORCH, 5);
                Model c = Model.build(net(), DType.F64, InitScheme.PYTORCH, 6)) {
            assertArrayEquals(a.parameters().toDoubleArray(), b.parameters().toDoubleArray());
            assertNotEquals(a.parameters().getFlat(0), c.parameters().getFlat(0));
        }
    }

    @Test
    void aTreeBelongsToOneModelAndUnboundParametersSaySo() {
        Sequential s = net();
        Linear lin = (Linear) s.get(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lin.weight().value());
        assertTrue(e.getMessage().contains("Model"), e.getMessage());
        try (Model m = Model.build(s, DType.F32, InitScheme.PYTORCH, 1)) {
            assertSame(s, m.root());
            assertThrows(IllegalStateException.class, () -> Model.build(s, DType.F32, InitScheme.PYTORCH, 1));
        }
    }

    @Test
    void sharedModulesAreRejectedAndParameterlessTreesWork() {
        Linear shared = new Linear(2, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Model.build(new Sequential(shared, Activation.relu(), shared), DType.F32, InitScheme.PYTORCH, 1));
        assertTrue(e.getMessage().contains("'0.weight' and '2.weight'"), e.getMessage());
        try (Model m = Model.build(new Sequential(Activation.relu()), DType.F32, InitScheme.PYTORCH, 1);
                Scope s = Scope.open(); Graph g = Graph.noGrad(CPU, s)) {
            assertEquals(0, m.numParameters());
            assertEquals(0.5, m.forward(g, Variable.constant(s.full(DType.F32, 0.5, 1))).value().item());
        }
    }

    @Test
    void badInputNamesTheLayerAndShape() {
        try (Model m = Model.build(net(), DType.F32, InitScheme.PYTORCH, 1); Scope s = Scope.open();
                Graph g = Graph.open(CPU, s)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(g, Variable.constant(s.zeros(DType.F32, 2, 5))));
            assertTrue(e.getMessage().contains("Linear(in=3") && e.getMessage().contains("[2, 5]"), e.getMessage());
            var d = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(g, Variable.constant(s.zeros(DType.F64, 2, 3))));
            assertTrue(d.getMessage().contains("F64") && d.getMessage().contains("F32"), d.getMessage());
        }
    }

    @Test
    void trainAndEvalReachEveryModule() {
        try (Model m = Model.build(net(), DType.F32, InitScheme.PYTORCH, 1)) {
            assertTrue(m.training());
            m.eval();
            for (Module mod : m.root().modules()) {
                assertTrue(!mod.training(), mod.toString());
            }
            m.train();
            assertTrue(m.root().modules().stream().allMatch(Module::training));
        }
    }

    /**
     * zeroGrad is lazy (the pass writes instead of adding), yet the block reads exactly as after an eager
     * memset and a pass, whatever garbage it held; a second pass still accumulates; and gradients()
     * with no pass since zeroGrad reads zero.
     */
    @Test
    void lazyZeroGradReadsAsAnEagerOne() {
        try (Model m = Model.build(net(), DType.F64, InitScheme.PYTORCH, 5); Scope s = Scope.open()) {
            Tensor x = TestModels.rand(s, DType.F64, 2, 6, 3);
            Tensor y = s.of(DType.F64, new double[] {0, 1, 1, 0, 1, 0}, 6);
            double[][] got = new double[2][];
            for (int lazy = 0; lazy < 2; lazy++) {
                Tensor grads = m.gradients();
                for (long i = 0; i < grads.numel(); i++) {
                    grads.setFlat(i, i % 2 == 0 ? Double.NaN : 1e300);
                }
                if (lazy == 1) {
                    m.zeroGrad();
                } else {
                    m.parameterBlock().zeroGrad();
                }
                for (int pass = 0; pass < 2; pass++) {
                    try (Graph g = Graph.open(CPU, s)) {
                        g.backward(g.crossEntropy(m.forward(g, Variable.constant(x)), y));
                    }
                }
                got[lazy] = m.gradients().toDoubleArray();
            }
            assertArrayEquals(got[0], got[1]);
            m.gradients().setFlat(0, Double.NaN);
            m.zeroGrad();
            assertTrue(java.util.Arrays.stream(m.gradients().toDoubleArray()).allMatch(v -> v == 0));
        }
    }

    /** grads accumulate into the gradient block; SGD from optlab.optim steps the Linear weight view. */
    @Test
    void sgdStepThroughOptimMovesTheLinearWeightView() {
        try (Model m = Model.build(new Sequential(new Linear(3, 2)), DType.F64, InitScheme.PYTORCH, 3);
                Scope s = Scope.open()) {
            Tensor x = TestModels.rand(s, DType.F64, 1, 4, 3);
            Tensor y = s.of(DType.F64, new double[] {0, 1, 1, 0}, 4);
            Parameter w = m.parameter("0.weight");
            double[] before = w.value().toDoubleArray();
            m.zeroGrad();
            try (Graph g = Graph.open(CPU, s)) {
                g.backward(g.crossEntropy(m.forward(g, Variable.constant(x)), y));
            }
            double[] grad = w.grad().toDoubleArray();
            assertTrue(java.util.Arrays.stream(grad).anyMatch(v -> Math.abs(v) > 1e-6));
            SGD sgd = new SGD(0.5);
            try (OptimizerState st = sgd.init(m.parameters())) {
                sgd.step(st, m.parameters(), m.gradients());
            }
            double[] after = w.value().toDoubleArray();
            for (int i = 0; i < before.length; i++) {
                assertEquals(before[i] - 0.5 * grad[i], after[i], 1e-15, "element " + i);
            }
            m.zeroGrad();
            assertTrue(java.util.Arrays.stream(m.gradients().toDoubleArray()).allMatch(v -> v == 0));
        }
    }
}
