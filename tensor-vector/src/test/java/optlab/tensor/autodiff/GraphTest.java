package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The tape's bookkeeping: reuse, accumulation, no-grad mode, memory, errors. */
class GraphTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void squareOfReusedVariableIsTwiceX(Backend b) {
        try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
            Tensor xv = rand(s, 1, 17);
            Variable x = Variable.parameter(xv, s);
            g.backward(g.sum(g.mul(x, x), false));
            for (int i = 0; i < 17; i++) {
                assertEquals(2 * xv.get(i), x.grad().get(i), 1e-15);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void variableInTwoBranchesSumsBothContributions(Backend b) {
        try (Scope s = Scope.open()) {
            // L = Σ (tanh(x) + 3x) ⊙ x: x feeds three uses through two branches.
            Fixtures.check(b, (g, v) -> g.sum(g.mul(g.add(g.tanh(v[0]), g.mulScalar(v[0], 3)), v[0]), false),
                    rand(s, 2, 3, 33));
            Fixtures.check(b, (g, v) -> {
                Variable h = g.relu(g.matmul(v[0], v[1]));
                return g.add(g.sum(g.mul(h, h), false), g.sum(g.sigmoid(h), false));
            }, rand(s, 3, 4, 5), rand(s, 4, 5, 3));
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void gradientsAccumulateAcrossPassesUntilZeroed(Backend b) {
        try (Scope params = Scope.open()) {
            Tensor xv = rand(params, 5, 3, 4);
            Tensor grad = params.zeros(DType.F64, 3, 4);
            Variable x = Variable.parameter(xv, grad);
            for (int pass = 1; pass <= 3; pass++) {
                try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
                    g.backward(g.sum(g.mulScalar(x, 2), false));
                }
                assertEquals(2.0 * pass, grad.get(1, 2), 0);
            }
            x.zeroGrad(b);
            assertEquals(0, grad.get(2, 3), 0);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void parameterGradientMayBeAStridedViewOfOneBlock(Backend b) {
        try (Scope s = Scope.open()) {
            Tensor block = s.zeros(DType.F64, 2 * 4 * 5 + 5);
            Tensor gw = block.slice(0, 0, 20).reshape(5, 4).mT(); // [4, 5] view, non-contiguous
            Tensor gb = block.slice(0, 40, 45);
            Variable w = Variable.parameter(rand(s, 6, 4, 5), gw);
            Variable bias = Variable.parameter(rand(s, 7, 5), gb);
            Tensor x = rand(s, 8, 3, 4);
            try (Graph g = Graph.open(b, s)) {
                g.backward(g.sum(g.add(g.matmul(Variable.constant(x), w), bias), false));
            }
            for (int i = 0; i < 4; i++) {
                double colSum = 0;
                for (int r = 0; r < 3; r++) {
                    colSum += x.get(r, i);
                }
                assertEquals(colSum, gw.get(i, 2), 1e-12); // ∂/∂w[i, j] = Σ_r x[r, i]
            }
            assertEquals(3, gb.get(4), 0);
            assertEquals(0, block.get(30), 0);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void noGradRecordsAndSavesNothing(Backend b) {
        try (Scope s = Scope.open()) {
            Variable w = Variable.parameter(rand(s, 9, 4, 3), s);
            Variable x = Variable.constant(rand(s, 10, 2, 4));
            Tensor labels = s.of(DType.F64, new double[] {0, 2}, 2);
            double recorded;
            try (Graph g = Graph.open(b, s)) {
                Variable loss = g.crossEntropy(g.relu(g.matmul(x, w)), labels);
                recorded = loss.value().item();
                assertEquals(List.of("matmul", "relu", "crossEntropy"), g.ops());
            }
            try (Graph g = Graph.noGrad(b, s)) {
                Variable loss = g.crossEntropy(g.relu(g.matmul(x, w)), labels);
                assertEquals(0, g.size());
                assertEquals(recorded, loss.value().item(), 0);
                assertTrue(!loss.requiresGrad());
                assertThrows(IllegalStateException.class, () -> g.backward(loss));
            }
            assertNull(w.grad());
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void constantsAreNotRecorded(Backend b) {
        try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
            Variable c = Variable.constant(rand(s, 11, 5));
            Variable y = g.exp(g.mul(c, c));
            assertEquals(0, g.size());
            assertTrue(!y.requiresGrad());
            assertThrows(IllegalArgumentException.class, () -> g.backward(g.sum(y, false)));
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void trainingLoopOnAPoolReachesAFlatFootprint(Backend b) {
        try (Scope params = Scope.open(); BufferPool pool = new BufferPool()) {
            SplittableRandom r = new SplittableRandom(12);
            Variable w1 = Variable.parameter(params.randn(DType.F32, r, 16, 33), params.zeros(DType.F32, 16, 33));
            Variable b1 = Variable.parameter(params.zeros(DType.F32, 16), params.zeros(DType.F32, 16));
            Variable w2 = Variable.parameter(params.randn(DType.F32, r, 5, 16), params.zeros(DType.F32, 5, 16));
            Tensor x = params.randn(DType.F32, r, 8, 33);
            Tensor labels = params.of(DType.F32, new double[] {0, 1, 2, 3, 4, 0, 1, 2}, 8);
            long afterWarmUp = 0;
            double first = 0, last = 0;
            for (int step = 0; step <= 50; step++) {
                try (Graph g = Graph.open(b, pool)) {
                    Variable h = g.gelu(Functions.linear(g, Variable.constant(x), w1, b1));
                    Variable loss = g.crossEntropy(Functions.linear(g, Functions.layerNorm(g, h, null, null, 1e-5), w2, null),
                            labels);
                    g.backward(loss);
                    last = loss.value().item();
                    first = step == 0 ? last : first;
                }
                for (Variable p : new Variable[] {w1, b1, w2}) { // plain SGD, then clear the gradient
                    sgd(b, p, 0.1, params);
                }
                if (step == 0) {
                    afterWarmUp = pool.allocatedBytes();
                }
            }
            assertTrue(afterWarmUp > 0);
            assertEquals(afterWarmUp, pool.allocatedBytes(), "pool grew after the first step");
            assertTrue(last < first, "loss did not decrease: " + first + " -> " + last);
        }
    }

    private static void sgd(Backend b, Variable p, double lr, Scope scratch) {
        try (Scope s = Scope.open()) {
            Tensor step = s.empty(p.dtype(), p.shape());
            b.scalar(optlab.tensor.backend.BinaryOp.MUL, p.grad(), -lr, step);
            Tensor next = s.empty(p.dtype(), p.shape());
            b.binary(optlab.tensor.backend.BinaryOp.ADD, p.value(), step, next);
            b.copy(next, p.value());
        }
        p.zeroGrad(b);
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void float32GradientsMatchFloat64(Backend b) {
        try (Scope s = Scope.open()) {
            Tensor x64 = rand(s, 13, 7, 33), w64 = rand(s, 14, 33, 17);
            Tensor[] grads = new Tensor[2];
            for (DType dt : DType.values()) {
                Variable x = Variable.parameter(s.copyOf(x64, dt), s), w = Variable.parameter(s.copyOf(w64, dt), s);
                try (Graph g = Graph.open(b, s)) {
                    g.backward(g.sum(g.tanh(g.matmul(x, w)), false));
                }
                grads[dt.ordinal()] = w.grad();
            }
            TestTensors.assertClose(grads[1], grads[0], 1e-4, 1e-5);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void emptyBatchGivesZeroGradients(Backend b) {
        try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
            Variable x = Variable.parameter(s.zeros(DType.F64, 0, 5), s);
            Variable w = Variable.parameter(rand(s, 17, 5, 3), s);
            Variable loss = g.sum(g.tanh(g.matmul(x, w)), false);
            assertEquals(0, loss.value().item(), 0);
            g.backward(loss);
            assertEquals(0, x.grad().numel());
            TestTensors.assertClose(s.zeros(DType.F64, 5, 3), w.grad(), 0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void badInputsNameTheOpAndShapes(Backend b) {
        try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
            Variable x = Variable.parameter(rand(s, 15, 3, 4), s), y = Variable.parameter(rand(s, 16, 5, 4), s);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.add(x, y));
            assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[3, 4]")
                    && e.getMessage().contains("[5, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.matmul(x, y));
            assertTrue(e.getMessage().startsWith("matmul") && e.getMessage().contains("[5, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.sum(x, false, 2));
            assertTrue(e.getMessage().startsWith("sum") && e.getMessage().contains("[3, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.backward(g.exp(x)));
            assertTrue(e.getMessage().contains("one element"), e.getMessage());
            try (Graph other = Graph.open(b, s)) {
                Variable foreign = other.exp(x);
                e = assertThrows(IllegalArgumentException.class, () -> g.add(foreign, x));
                assertTrue(e.getMessage().contains("another graph"), e.getMessage());
                g.add(Variable.constant(foreign.value()), x); // explicitly a constant: fine
            }
        }
    }
}
