package optlab.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Dropout masks are a function of (model seed, step); training scales kept values by 1/(1 − p); eval is identity. */
class DropoutTest {
    private static final Backend CPU = Backends.cpu(2);
    private static final double P = 0.25;

    @AfterAll
    static void close() {
        CPU.close();
    }

    /** Output of one training forward on ones [64, 64], i.e. the scaled mask, at the model's current step. */
    private static double[] mask(Model m, Scope s) {
        try (Graph g = Graph.noGrad(CPU, s)) {
            return m.forward(g, Variable.constant(s.full(DType.F64, 1, 64, 64))).value().toDoubleArray();
        }
    }

    private static Model model(long seed) {
        return Model.build(new Sequential(new Dropout(P)), DType.F64, InitScheme.PYTORCH, seed);
    }

    @Test
    void masksDependOnSeedAndStepOnly() {
        try (Model a = model(1); Model b = model(1); Model c = model(2); Scope s = Scope.open()) {
            double[] a0 = mask(a, s), a1 = mask(a, s);
            double[] b0 = mask(b, s);
            assertArrayEquals(a0, b0);
            assertFalse(Arrays.equals(a0, a1), "a new step draws a new mask");
            assertFalse(Arrays.equals(a0, mask(c, s)), "another seed draws another mask");
            // Resuming at step 1 reproduces step 1.
            b.setStep(1);
            assertArrayEquals(a1, mask(b, s));
            assertEquals(2, b.step());
        }
    }

    @Test
    void trainingKeepsAboutOneMinusPScaledAndEvalIsIdentity() {
        try (Model m = model(3); Scope s = Scope.open()) {
            double[] y = mask(m, s);
            long kept = Arrays.stream(y).filter(v -> v != 0).count();
            for (double v : y) {
                if (v != 0) {
                    assertEquals(1 / (1 - P), v, 1e-15);
                }
            }
            // 4096 Bernoulli(0.75) draws: mean 3072, std ≈ 27.7; 5 std either side.
            assertEquals(3072, kept, 140);
            m.eval();
            Tensor x = s.full(DType.F64, 1, 3, 3);
            try (Graph g = Graph.open(CPU, s)) {
                Variable in = Variable.constant(x);
                assertSame(in, m.forward(g, in));
            }
            assertEquals(1, m.step(), "eval forwards are not steps");
        }
    }

    @Test
    void probabilityOutsideRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
    }
}
