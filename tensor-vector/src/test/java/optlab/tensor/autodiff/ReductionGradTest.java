package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.check;
import static optlab.tensor.autodiff.Fixtures.between;
import static optlab.tensor.autodiff.Fixtures.rand;
import static optlab.tensor.autodiff.Fixtures.strided;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of reductions, variance, softmax and the fused losses. */
class ReductionGradTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void sumMeanMaxMinOverAxes(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 1, 2, 3, n));
            for (boolean keep : new boolean[] {true, false}) {
                check(b, (g, v) -> g.sum(v[0], keep), x);
                check(b, (g, v) -> g.sum(v[0], keep, -1), x);
                check(b, (g, v) -> g.mean(v[0], keep, 0, 2), x);
                check(b, (g, v) -> g.mean(v[0], keep), x);
                check(b, (g, v) -> g.max(v[0], keep, -1), x);
                check(b, (g, v) -> g.max(v[0], keep, 0, 1), x);
                check(b, (g, v) -> g.min(v[0], keep, 1), x);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void varianceBiasedAndUnbiased(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 2, 3, n + 1));
            for (int correction : new int[] {0, 1}) {
                check(b, (g, v) -> g.variance(v[0], correction, false, -1), x);
                check(b, (g, v) -> g.variance(v[0], correction, true, 0), x);
                check(b, (g, v) -> g.variance(v[0], correction, false), x);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void softmaxAndLogSoftmaxAlongEitherAxis(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, between(s, 3, -3, 3, 4, n));
            check(b, (g, v) -> g.softmax(v[0], -1), x);
            check(b, (g, v) -> g.softmax(v[0], 0), x);
            check(b, (g, v) -> g.logSoftmax(v[0], 1), x);
            check(b, (g, v) -> g.logSoftmax(v[0], 0), x);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void crossEntropyWithIndexAndProbabilityTargets(Backend b, int n) {
        try (Scope s = Scope.open()) {
            int batch = 5;
            Tensor logits = strided(s, between(s, 4, -3, 3, batch, n));
            Tensor labels = s.empty(DType.F64, batch);
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < batch; i++) {
                labels.set(r.nextInt(n), i);
            }
            check(b, (g, v) -> g.crossEntropy(v[0], labels), logits);
            // Scaling the loss checks that backward multiplies the saved gradient by the incoming one.
            check(b, (g, v) -> g.mulScalar(g.crossEntropy(v[0], labels), 3), logits);
            Tensor probs = s.empty(DType.F64, batch, n);
            try (Graph g = Graph.noGrad(b, s)) {
                b.copy(g.softmax(Variable.constant(rand(s, 6, batch, n)), 1).value(), probs);
            }
            check(b, (g, v) -> g.crossEntropy(v[0], probs), logits);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void mseBothSides(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor a = strided(s, rand(s, 7, 3, n)), t = rand(s, 8, 3, n);
            check(b, (g, v) -> g.mse(v[0], v[1]), a, t);
            check(b, (g, v) -> g.mulScalar(g.mse(v[0], v[1]), -0.5), a, t);
        }
    }
}
