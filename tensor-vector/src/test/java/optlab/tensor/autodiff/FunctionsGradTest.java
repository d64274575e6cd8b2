package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.check;
import static optlab.tensor.autodiff.Fixtures.between;
import static optlab.tensor.autodiff.Fixtures.rand;
import static optlab.tensor.autodiff.Fixtures.strided;
import static org.junit.jupiter.api.Assertions.assertEquals;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of the composite layers, plus forward values against direct formulas. */
class FunctionsGradTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void linearOnBatchesAndSequences(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor w = rand(s, 1, 4, n), bias = rand(s, 2, 4);
            check(b, (g, v) -> Functions.linear(g, v[0], v[1], v[2]), strided(s, rand(s, 3, 3, n)), w, bias);
            check(b, (g, v) -> Functions.linear(g, v[0], v[1], null), rand(s, 4, 2, 3, n), w);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void layerNormWithAffine(Backend b, int n) {
        try (Scope s = Scope.open()) {
            int c = n + 1; // normalizing one element is degenerate (its variance is 0)
            Tensor x = strided(s, between(s, 5, -2, 2, 3, c)), gamma = rand(s, 6, c), beta = rand(s, 7, c);
            check(b, (g, v) -> Functions.layerNorm(g, v[0], v[1], v[2], 1e-5), x, gamma, beta);
            check(b, (g, v) -> Functions.layerNorm(g, v[0], null, null, 1e-5), x);
        }
    }

    /** Forward values against the formula per row, on a rank-3 strided input (rows over two axes). */
    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void layerNormValuesMatchTheFormula(Backend b, int n) {
        try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
            int c = n + 1;
            Tensor x = strided(s, between(s, 13, -2, 2, 2, 3, c)), gamma = rand(s, 14, c), beta = rand(s, 15, c);
            Tensor y = Functions.layerNorm(g, Variable.constant(x), Variable.constant(gamma), Variable.constant(beta), 1e-5)
                    .value();
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    double mean = 0, var = 0;
                    for (int k = 0; k < c; k++) {
                        mean += x.get(i, j, k) / c;
                    }
                    for (int k = 0; k < c; k++) {
                        var += (x.get(i, j, k) - mean) * (x.get(i, j, k) - mean) / c;
                    }
                    for (int k = 0; k < c; k++) {
                        double want = (x.get(i, j, k) - mean) / Math.sqrt(var + 1e-5) * gamma.get(k) + beta.get(k);
                        assertEquals(want, y.get(i, j, k), 1e-12, "row " + i + "," + j + " element " + k);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void batchNormTrainingStatistics(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, between(s, 8, -2, 2, 2, 3, 2, Math.min(n, 33))), gamma = rand(s, 9, 3), beta = rand(s, 10, 3);
            check(b, (g, v) -> Functions.batchNorm(g, v[0], v[1], v[2], 1e-5), x, gamma, beta);
            Tensor flat = rand(s, 11, n + 1, 3);
            check(b, (g, v) -> Functions.batchNorm(g, v[0], v[1], v[2], 1e-5), flat, gamma, beta);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void logSumExpIsStableAndDifferentiable(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, between(s, 12, -3, 3, 3, n));
            check(b, (g, v) -> Functions.logSumExp(g, v[0], -1, false), x);
            check(b, (g, v) -> Functions.logSumExp(g, v[0], 0, true), x);
            Tensor big = s.full(DType.F64, 1000, 1, n);
            try (Graph g = Graph.noGrad(b, s)) {
                double lse = Functions.logSumExp(g, Variable.constant(big), -1, false).value().get(0);
                assertEquals(1000 + Math.log(n), lse, 1e-9);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void smallConvNetEndToEnd(Backend b) {
        try (Scope s = Scope.open()) {
            // conv 3x3 (pad 1) → batch norm → relu → max pool 2 → flatten → linear → cross-entropy
            Tensor x = rand(s, 18, 2, 1, 6, 6);
            Tensor labels = s.of(DType.F64, new double[] {3, 1}, 2);
            check(b, (g, v) -> {
                Variable h = g.conv2d(Variable.constant(x), v[0], v[1], Conv2dSpec.of(1, 1));
                h = g.relu(Functions.batchNorm(g, h, v[2], null, 1e-5));
                h = g.reshape(g.maxPool2d(h, Pool2dSpec.of(2)), 2, -1);
                return g.crossEntropy(Functions.linear(g, h, v[3], v[4]), labels);
            }, rand(s, 19, 3, 1, 3, 3), rand(s, 20, 3), between(s, 21, 0.5, 1.5, 3), rand(s, 22, 4, 27), rand(s, 23, 4));
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backends")
    void normalizeWithGivenStatistics(Backend b) {
        try (Scope s = Scope.open()) {
            Tensor x = rand(s, 13, 2, 3, 4, 5), mean = rand(s, 14, 3), var = between(s, 15, 0.5, 2, 3);
            check(b, (g, v) -> Functions.normalize(g, v[0], Variable.constant(mean), Variable.constant(var),
                    v[1], v[2], 1e-5), x, rand(s, 16, 3), rand(s, 17, 3));
        }
    }
}
