package optlab.tensor.autodiff;

import static optlab.tensor.autodiff.Fixtures.between;
import static optlab.tensor.autodiff.Fixtures.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The checker itself: it must catch a wrong gradient and point at the element. */
class GradCheckTest {

    @Test
    void catchesAGradientThatMissesAPath() {
        try (Scope s = Scope.open()) {
            Tensor x = between(s, 1, 0.5, 1, 2, 3);
            // x ⊙ stop_gradient(x): autodiff sees ∂ = x, the true derivative is 2x.
            GradCheck.Result r = GradCheck.DEFAULT.check(Fixtures.REFERENCE, (g, v) -> {
                Tensor detached = g.scope().copyOf(v[0].value());
                return g.sum(g.mul(v[0], Variable.constant(detached)), false);
            }, x);
            assertFalse(r.ok());
            assertEquals(0, r.input());
            assertEquals(6, r.checked());
            assertEquals(r.numeric(), 2 * r.analytic(), 1e-6);
            assertThrows(AssertionError.class, () -> GradCheck.DEFAULT.verify(Fixtures.REFERENCE, (g, v) ->
                    g.sum(g.mul(v[0], Variable.constant(g.scope().copyOf(v[0].value()))), false), x));
        }
    }

    @Test
    void projectsNonScalarOutputsAndLimitsElements() {
        try (Scope s = Scope.open()) {
            Tensor x = rand(s, 2, 10, 20);
            GradCheck few = new GradCheck(1e-6, 1e-6, 1e-7, 7, 3);
            GradCheck.Result r = few.verify(Fixtures.REFERENCE, (g, v) -> g.tanh(v[0]), x);
            assertTrue(r.ok());
            assertEquals(7, r.checked());
            assertEquals(2, r.index().length);
        }
    }

    @Test
    void checksExistingParametersAndLeavesTheirGradients() {
        try (Scope s = Scope.open()) {
            Tensor grad = s.full(DType.F64, 7, 3, 2); // stale contents: the check zeroes them first
            Variable w = Variable.parameter(rand(s, 3, 3, 2), grad);
            Variable bias = Variable.parameter(rand(s, 4, 2), s);
            Tensor x = rand(s, 5, 4, 3);
            GradCheck.Result r = GradCheck.DEFAULT.verifyParameters(Fixtures.REFERENCE,
                    g -> g.tanh(Functions.linear(g, Variable.constant(x), g.transpose(w, 0, 1), bias)),
                    java.util.List.of(w, bias));
            assertEquals(8, r.checked());
            assertTrue(Math.abs(grad.get(0, 0)) < 7);
            assertThrows(IllegalArgumentException.class, () -> GradCheck.DEFAULT.checkParameters(Fixtures.REFERENCE,
                    g -> g.sum(Variable.constant(x), false), java.util.List.of(Variable.constant(x))));
        }
    }

    @Test
    void rejectsFloat32AndBroadcastInputs() {
        try (Scope s = Scope.open()) {
            GradCheck.Fn f = (g, v) -> g.sum(v[0], false);
            assertThrows(IllegalArgumentException.class,
                    () -> GradCheck.DEFAULT.check(Fixtures.REFERENCE, f, s.zeros(DType.F32, 3)));
            assertThrows(IllegalArgumentException.class,
                    () -> GradCheck.DEFAULT.check(Fixtures.REFERENCE, f, s.zeros(DType.F64, 1, 3).broadcastTo(4, 3)));
            assertArrayEquals(new int[] {1, 3}, s.zeros(DType.F64, 1, 3).shape());
        }
    }
}
