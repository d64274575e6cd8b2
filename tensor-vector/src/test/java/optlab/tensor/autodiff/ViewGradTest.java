package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.check;
import static optlab.tensor.autodiff.Fixtures.rand;
import static optlab.tensor.autodiff.Fixtures.strided;

import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of the layout primitives. Each is followed by an elementwise product with a fixed
 * tensor so that where each gradient element lands matters.
 */
class ViewGradTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void reshapeOfContiguousAndStrided(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = rand(s, 1, 2, 3, n), weight = rand(s, 2, 3, 2 * n);
            check(b, (g, v) -> g.mul(g.reshape(v[0], 3, -1), Variable.constant(weight)), x);
            check(b, (g, v) -> g.mul(g.reshape(v[0], 3, -1), Variable.constant(weight)), strided(s, x));
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void permuteAndTranspose(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 3, 2, 3, n)), weight = rand(s, 4, n, 2, 3);
            check(b, (g, v) -> g.mul(g.permute(v[0], 2, 0, 1), Variable.constant(weight)), x);
            check(b, (g, v) -> g.mul(g.transpose(v[0], 0, 2), Variable.constant(weight.permute(0, 2, 1))), x);
            // A permuted view feeding a reshape must be copied, and its gradient permuted back.
            check(b, (g, v) -> g.mul(g.reshape(g.permute(v[0], 2, 0, 1), n, 6),
                    Variable.constant(weight.reshape(n, 6))), x);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void sliceWithStepAndExpand(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 5, 3, n + 2));
            int len = (n + 1) / 2;
            Tensor weight = rand(s, 6, 3, len);
            check(b, (g, v) -> g.mul(g.slice(v[0], 1, 1, n + 1, 2), Variable.constant(weight)), x);
            Tensor row = rand(s, 7, 1, n);
            check(b, (g, v) -> g.mul(g.expand(v[0], 4, n), Variable.constant(rand(s, 8, 4, n))), row);
            check(b, (g, v) -> g.mul(g.expand(v[0], 2, 3, n), Variable.constant(rand(s, 9, 2, 3, n))), rand(s, 10, n));
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void concatAlongEitherAxis(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 11, 2, n)), y = rand(s, 12, 3, n), z = rand(s, 13, 2, 4);
            check(b, (g, v) -> g.mul(g.concat(0, v[0], v[1]), Variable.constant(rand(s, 14, 5, n))), x, y);
            check(b, (g, v) -> g.mul(g.concat(-1, v[0], v[1]), Variable.constant(rand(s, 15, 2, n + 4))), x, z);
        }
    }
}
