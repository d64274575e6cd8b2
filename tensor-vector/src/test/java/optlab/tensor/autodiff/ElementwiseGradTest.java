package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.check;
import static optlab.tensor.autodiff.Fixtures.between;
import static optlab.tensor.autodiff.Fixtures.rand;
import static optlab.tensor.autodiff.Fixtures.strided;

import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of the elementwise primitives on awkward sizes, strided views and broadcasting. */
class ElementwiseGradTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void binaryOpsOnStridedViews(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, rand(s, 1, 3, n)), y = strided(s, between(s, 2, 0.5, 2, 3, n));
            check(b, (g, v) -> g.add(v[0], v[1]), x, y);
            check(b, (g, v) -> g.sub(v[0], v[1]), x, y);
            check(b, (g, v) -> g.mul(v[0], v[1]), x, y);
            check(b, (g, v) -> g.div(v[0], v[1]), x, y);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void binaryOpsBroadcastBothWays(Backend b, int n) {
        try (Scope s = Scope.open()) {
            // [2, 1, n] with [3, 1]: each input is repeated along an axis the other spans.
            Tensor x = rand(s, 3, 2, 1, n), y = between(s, 4, 0.5, 2, 3, 1);
            check(b, (g, v) -> g.add(v[0], v[1]), x, y);
            check(b, (g, v) -> g.sub(v[0], v[1]), x, y);
            check(b, (g, v) -> g.mul(v[0], v[1]), x, y);
            check(b, (g, v) -> g.div(v[0], v[1]), x, y);
            Tensor bias = rand(s, 5, n);
            check(b, (g, v) -> g.mul(v[0], v[1]), rand(s, 6, 4, n), bias);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void everyUnaryOp(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor any = strided(s, between(s, 7, -2, 2, 2, n));
            Tensor positive = strided(s, between(s, 8, 0.3, 2, 2, n));
            for (UnaryOp op : UnaryOp.values()) {
                boolean needsPositive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RECIPROCAL;
                check(b, (g, v) -> g.unary(op, v[0]), needsPositive ? positive : any);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void scalarOpsPowAndClamp(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor x = strided(s, between(s, 9, -2, 2, 3, n));
            Tensor positive = between(s, 10, 0.3, 2, 3, n);
            check(b, (g, v) -> g.addScalar(v[0], 1.5), x);
            check(b, (g, v) -> g.mulScalar(v[0], -2.5), x);
            check(b, (g, v) -> g.pow(v[0], 3), x);
            check(b, (g, v) -> g.pow(v[0], -0.5), positive);
            check(b, (g, v) -> g.pow(v[0], 2.7), positive);
            check(b, (g, v) -> g.clamp(v[0], -0.7, 0.9), x);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void whereWithBroadcastMask(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor mask = Fixtures.mask(s, 11, 1, n);
            Tensor x = strided(s, rand(s, 12, 3, n)), y = rand(s, 13, 3, 1);
            check(b, (g, v) -> g.where(mask, v[0], v[1]), x, y);
        }
    }
}
