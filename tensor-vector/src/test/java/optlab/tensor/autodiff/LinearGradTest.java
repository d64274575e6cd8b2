package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.rand;
import static optlab.tensor.autodiff.Fixtures.strided;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused linear primitive against its composition matmul(x, Wᵀ) + b, with parameters whose
 * gradient buffers already exist (slices of one block, as a model's): ∂W then goes straight into the
 * buffer with a GEMM's beta = 1, which the finite-difference checks (lazily allocated gradients) do
 * not reach. Buffers start non-zero and see two passes, so "adds into" is what is tested.
 */
class LinearGradTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void gradientsGoIntoParameterBuffersAsTheCompositionsDo(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor w = rand(s, 1, 4, n), bias = rand(s, 2, 4), square = rand(s, 3, n, n), squareBias = rand(s, 7, n);
            for (Tensor x : new Tensor[] {strided(s, rand(s, 4, 3, n)), rand(s, 5, 2, 3, n), rand(s, 6, n, 2).mT()}) {
                compare(b, s, x, w, bias, (g, xv, v) -> g.tanh(g.linear(xv, v[0], v[1])),
                        (g, xv, v) -> g.tanh(g.add(g.matmul(xv, g.transpose(v[0], 0, 1)), v[1])));
                compare(b, s, x, w, null, (g, xv, v) -> g.linear(xv, v[0], null),
                        (g, xv, v) -> g.matmul(xv, g.transpose(v[0], 0, 1)));
                // A weight used twice: one share goes into the buffer, the other through the tape.
                compare(b, s, x, square, squareBias,
                        (g, xv, v) -> g.tanh(g.linear(g.linear(xv, v[0], null), v[0], v[1])),
                        (g, xv, v) -> g.tanh(g.add(g.matmul(g.matmul(xv, g.transpose(v[0], 0, 1)),
                                g.transpose(v[0], 0, 1)), v[1])));
            }
        }
    }

    /**
     * Discarded gradients (Variable.discardGrad, torch's set_to_none) hold NaN and huge garbage, yet one
     * pass leaves exactly what zeroing plus one pass leaves: the fused ∂W is written with beta = 0, the
     * tape's contributions (bias, the second use of a weight, a non-fused op) overwrite, and a parameter
     * no pass reaches reads as zero.
     */
    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void discardedGradientsAreWrittenNotAdded(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = rand(s, 4, 3, n), square = rand(s, 3, n, n), bias = rand(s, 7, n), scale = rand(s, 8, n);
            double[] expected = null;
            for (boolean discard : new boolean[] {false, true}) {
                int nn = n * n;
                Tensor block = s.full(DType.F64, discard ? Double.NaN : 0, nn + 3 * n);
                if (discard) {
                    block.setFlat(1, 1e300);
                }
                Variable w = Variable.parameter(square, block.slice(0, 0, nn).reshape(n, n));
                Variable bv = Variable.parameter(bias, block.slice(0, nn, nn + n));
                Variable sv = Variable.parameter(scale, block.slice(0, nn + n, nn + 2 * n));
                Variable unused = Variable.parameter(scale, block.slice(0, nn + 2 * n, nn + 3 * n));
                for (Variable v : new Variable[] {w, bv, sv, unused}) {
                    if (discard) {
                        v.discardGrad();
                    }
                }
                try (Graph g = Graph.open(b, s)) {
                    Variable h = g.linear(g.linear(Variable.constant(x), w, null), w, bv);
                    g.backward(g.sum(g.tanh(g.mul(h, sv)), false));
                }
                double[] got = new double[(int) block.numel()];
                for (Variable v : new Variable[] {w, bv, sv, unused}) {
                    v.grad(); // settles what no pass wrote
                }
                for (int i = 0; i < got.length; i++) {
                    got[i] = block.getFlat(i);
                }
                if (!discard) {
                    expected = got;
                } else {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got, "n = " + n);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void mismatchedShapesNameTheOp(Backend b) {
        try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
            Variable x = Variable.constant(rand(s, 1, 2, 5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.linear(x, Variable.constant(rand(s, 2, 4, 3)), null));
            assertTrue(e.getMessage().startsWith("linear") && e.getMessage().contains("[2, 5]")
                    && e.getMessage().contains("[4, 3]"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> g.linear(x, Variable.constant(rand(s, 2, 4, 5)), Variable.constant(rand(s, 3, 3))));
        }
    }

    interface Net {
        Variable apply(Graph g, Variable x, Variable[] params);
    }

    /** Two backward passes of sum(net) into non-zero gradient blocks: fused and composed agree. */
    private static void compare(Backend b, Scope s, Tensor x, Tensor w, Tensor bias, Net fused, Net composed) {
        for (DType dt : DType.values()) {
            Tensor xd = s.empty(dt, x.shape()), wd = s.empty(dt, w.shape());
            b.copy(x, xd);
            b.copy(w, wd);
            Tensor bd = null;
            if (bias != null) {
                bd = s.empty(dt, bias.shape());
                b.copy(bias, bd);
            }
            Tensor fusedGrads = grads(b, s, xd, wd, bd, fused);
            Tensor composedGrads = grads(b, s, xd, wd, bd, composed);
            double rtol = dt == DType.F64 ? 1e-12 : 1e-5;
            TestTensors.assertClose(composedGrads, fusedGrads, rtol, rtol);
        }
    }

    /** The gradient block [W | b] after two passes, starting from 0.5 everywhere. */
    private static Tensor grads(Backend b, Scope s, Tensor x, Tensor w, Tensor bias, Net net) {
        int nw = (int) w.numel(), nb = bias == null ? 0 : (int) bias.numel();
        Tensor block = s.full(w.dtype(), 0.5, nw + nb);
        Variable[] p = {Variable.parameter(w, block.slice(0, 0, nw).reshape(w.shape())),
            bias == null ? null : Variable.parameter(bias, block.slice(0, nw, nw + nb))};
        for (int pass = 0; pass < 2; pass++) {
            try (Graph g = Graph.open(b, s)) {
                g.backward(g.sum(net.apply(g, Variable.constant(x), p), false));
            }
        }
        return block;
    }
}
