package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pre-timing check accepts a correct product in every layout and rejects one wrong element. */
class GemmCheckTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void acceptsCorrectAndRejectsPerturbedProducts(DType dtype) {
        for (GemmShape s : new GemmShape[] {
                new GemmShape("t-nn", "test", "nn", 17, 33, 5, false, false),
                new GemmShape("t-nt", "test", "nt", 3, 65, 17, false, true),
                new GemmShape("t-tn", "test", "tn", 31, 7, 9, true, false)}) {
            try (Scope scope = Scope.open(); Backend ref = Backends.reference()) {
                GemmOperands x = GemmOperands.allocate(scope, s, dtype, 3);
                ref.gemm(1, x.a(), x.b(), 0, x.c());
                Tensor expected = scope.copyOf(x.c());
                assertDoesNotThrow(() -> GemmCheck.compare("ok", x.a(), x.b(), expected, x.c()));
                assertDoesNotThrow(() -> GemmCheck.freivalds("ok", x.a(), x.b(), x.c(), 11));

                // A transposition-sized mistake: one element off by a tenth of a typical entry's size.
                int i = s.m() / 2, j = s.n() - 1;
                x.c().set(x.c().get(i, j) + 0.1 * Math.sqrt(s.k()) / 3, i, j);
                var elementwise = assertThrows(IllegalStateException.class,
                        () -> GemmCheck.compare(s.id(), x.a(), x.b(), expected, x.c()));
                assertTrue(elementwise.getMessage().contains("element [" + i + ", " + j + "]"), elementwise.getMessage());
                var freivalds = assertThrows(IllegalStateException.class,
                        () -> GemmCheck.freivalds(s.id(), x.a(), x.b(), x.c(), 11));
                assertTrue(freivalds.getMessage().contains("row " + i + " "), freivalds.getMessage());
            }
        }
    }
}
