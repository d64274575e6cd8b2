package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.check;
import static optlab.tensor.autodiff.Fixtures.rand;
import static optlab.tensor.autodiff.Fixtures.strided;

import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of the matrix product: plain, transposed views, batched and broadcast batches. */
class MatMulGradTest {

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void matrixTimesMatrix(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor a = rand(s, 1, 3, n), w = strided(s, rand(s, 2, n, 5));
            check(b, (g, v) -> g.matmul(v[0], v[1]), a, w);
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void transposedOperandViews(Backend b, int n) {
        try (Scope s = Scope.open()) {
            // aᵀ and bᵀ are stride views of [K, M] and [N, K] storage.
            Tensor at = rand(s, 3, n, 4), bt = rand(s, 4, 2, n);
            check(b, (g, v) -> g.matmul(g.transpose(v[0], 0, 1), g.transpose(v[1], 0, 1)), at, bt);
            check(b, (g, v) -> g.matmul(v[0], v[1]), at.mT(), bt.mT());
        }
    }

    @ParameterizedTest
    @MethodSource("optlab.tensor.autodiff.Fixtures#backendsAndSizes")
    void batchedWithBroadcastBatchAxes(Backend b, int n) {
        try (Scope s = Scope.open()) {
            Tensor a = rand(s, 5, 2, 1, 3, n), c = rand(s, 6, 3, n, 2);
            check(b, (g, v) -> g.matmul(v[0], v[1]), a, c); // [2,1,3,n]·[3,n,2] -> [2,3,3,2]
            Tensor x = strided(s, rand(s, 7, 2, 3, n)), w = rand(s, 8, n, 4);
            check(b, (g, v) -> g.matmul(v[0], v[1]), x, w); // a shared matrix: one flattened GEMM for ∂w
            Tensor m = rand(s, 9, 3, n);
            check(b, (g, v) -> g.matmul(v[0], v[1]), m, rand(s, 10, 2, n, 3)); // matrix times a batch
        }
    }
}
