package optlab.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sequential runs ReLU followed by max pooling as pool-then-ReLU: outputs and input gradients must be
 * bitwise those of ReLU-then-pool, also with ties (small integers), windows of only negative values
 * or zeros of both signs, NaN, and overlapping padded windows.
 */
class SequentialTest {
    private static final Backend CPU = Backends.cpu(2);

    @AfterAll
    static void close() {
        CPU.close();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reluThenMaxPoolKeepsValuesAndGradients(DType dt) {
        for (MaxPool2d pool : new MaxPool2d[] {new MaxPool2d(2), new MaxPool2d(3, 2, 1)}) {
            try (Scope s = Scope.open()) {
                Tensor x = s.empty(dt, 2, 3, 9, 10);
                SplittableRandom rng = new SplittableRandom(3);
                for (long i = 0; i < x.numel(); i++) {
                    int r = rng.nextInt(12);
                    x.setFlat(i, r == 0 ? Double.NaN : r == 1 ? -0.0 : r - 6); // ties, negatives, ±0, NaN
                }
                Tensor seed = s.uniform(dt, new SplittableRandom(4), -1, 1, pool.forward(noGrad(s), Variable.constant(x))
                        .shape());
                Tensor gotGrad = s.zeros(dt, x.shape()), wantGrad = s.zeros(dt, x.shape());
                double[] got;
                double[] want;
                try (Graph g = Graph.open(CPU, s)) {
                    Variable v = Variable.parameter(x, gotGrad);
                    Variable y = new Sequential(Activation.relu(), pool).forward(g, v);
                    got = y.value().toDoubleArray();
                    g.backward(y, seed);
                }
                try (Graph g = Graph.open(CPU, s)) {
                    Variable v = Variable.parameter(x, wantGrad);
                    Variable y = g.maxPool2d(g.relu(v), pool.spec());
                    want = y.value().toDoubleArray();
                    g.backward(y, seed);
                }
                assertArrayEquals(want, got, 0);
                assertArrayEquals(wantGrad.toDoubleArray(), gotGrad.toDoubleArray(), 0);
            }
        }
    }

    private static Graph noGrad(Scope s) {
        return Graph.noGrad(CPU, s);
    }
}
