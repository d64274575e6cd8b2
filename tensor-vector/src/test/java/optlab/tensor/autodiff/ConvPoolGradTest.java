package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.check;
import static optlab.tensor.autodiff.Fixtures.between;
import static optlab.tensor.autodiff.Fixtures.rand;
import static optlab.tensor.autodiff.Fixtures.strided;

import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of convolution, pooling and the weighted pairwise distances. */
class ConvPoolGradTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSmallSizes")
    void conv2dWithAndWithoutBias(Backend b, int n) {
        int w = n + 2; // widths 3, 5, 19; height stays small to keep the finite differences affordable
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 1, 2, 3, 5, w)), k = rand(s, 2, 4, 3, 3, 3), bias = rand(s, 3, 4);
            check(b, (g, v) -> g.conv2d(v[0], v[1], v[2], Conv2dSpec.of(1, 1)), x, k, bias);
            check(b, (g, v) -> g.conv2d(v[0], v[1], null, new Conv2dSpec(2, 1, 0, 1)), x, k);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void maxAndAveragePooling(Backend b, int n) {
        int w = Math.min(n, 33) + 1;
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 4, 2, 3, 4, w));
            Pool2dSpec square = Pool2dSpec.of(2);
            Pool2dSpec padded = new Pool2dSpec(3, 3, 2, 1, 1, 1);
            if (w >= 2) {
                check(b, (g, v) -> g.maxPool2d(v[0], square), x);
                check(b, (g, v) -> g.avgPool2d(v[0], square), x);
            }
            check(b, (g, v) -> g.maxPool2d(v[0], padded), x);
            check(b, (g, v) -> g.avgPool2d(v[0], padded), x);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void pairwiseSquaredDistances(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 5, 4, n)), c = rand(s, 6, 3, n), w = between(s, 7, 0.1, 2, 3, n);
            check(b, (g, v) -> g.pairwiseSqDist(v[0], v[1], v[2]), x, c, w);
            check(b, (g, v) -> g.pairwiseSqDist(v[0], v[1], null), x, c);
        }
    }
}
