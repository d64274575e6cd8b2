package optlab.models.layers;

import static optlab.models.TestModels.f64;
import static optlab.models.TestModels.gradCheck;
import static optlab.models.TestModels.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.models.Model;
import optlab.models.Module;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Forward multipliers m of Linear, Conv2d and ClassificationHead: y is exactly m times the unscaled
 * layer's output, and gradients (input, weight, bias) pass finite differences in F64.
 */
class MultiplierGradTest {
    private static final Backend CPU = Backends.cpu(2);
    private static final Backend REFERENCE = Backends.reference();

    @AfterAll
    static void close() {
        CPU.close();
        REFERENCE.close();
    }

    /** Output of {@code m} at multiplier 1 and at {@code mult} must differ by exactly that factor; then gradcheck. */
    private static void check(Module m, java.util.function.DoubleConsumer set, double mult, int... shape) {
        try (Model model = f64(m, 11); Scope s = Scope.open()) {
            Tensor x = rand(s, DType.F64, 5, shape);
            double[] plain, scaled;
            try (Graph g = Graph.noGrad(CPU, s)) {
                plain = model.root().forward(g, Variable.constant(x)).value().toDoubleArray();
                set.accept(mult);
                scaled = model.root().forward(g, Variable.constant(x)).value().toDoubleArray();
            }
            for (int i = 0; i < plain.length; i++) {
                assertEquals(mult * plain[i], scaled[i], 1e-15 * Math.abs(plain[i]) + 1e-300, "element " + i);
            }
            for (Backend b : new Backend[] {CPU, REFERENCE}) {
                var r = gradCheck(b, model, x);
                assertTrue(r.checked() > 0, r.toString());
            }
        }
    }

    @Test
    void linear() {
        Linear l = new Linear(7, 5);
        check(l, l::setMultiplier, 1 / Math.sqrt(7), 3, 7);
        Linear nb = new Linear(17, 3, false);
        check(nb, nb::setMultiplier, 1.0 / 17, 2, 4, 17);
    }

    @Test
    void conv2d() {
        Conv2d c = new Conv2d(3, 4, 3, 1, 0, true);
        check(c, c::setMultiplier, 1 / Math.sqrt(3), 2, 3, 7, 7);
        Conv2d strided = new Conv2d(2, 3, 3, 2, 1, false);
        check(strided, strided::setMultiplier, 0.37, 1, 2, 9, 9);
    }

    @Test
    void classificationHead() {
        ClassificationHead h = new ClassificationHead(6, 4, ClassificationHead.Pooling.GLOBAL_AVERAGE);
        check(h, h::setMultiplier, 1.0 / 6, 2, 6, 3, 3);
        ClassificationHead t = new ClassificationHead(5, 3, ClassificationHead.Pooling.CLASS_TOKEN);
        check(t, t::setMultiplier, 1.0 / 5, 2, 4, 5);
    }

    @Test
    void defaultIsOneAndBadMultipliersFail() {
        Linear l = new Linear(4, 2);
        assertEquals(1, l.multiplier());
        assertEquals("Linear(in=4, out=2, bias=true)", l.toString());
        l.setMultiplier(0.5);
        assertTrue(l.toString().contains("multiplier=0.5"), l.toString());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> l.setMultiplier(bad));
            assertTrue(e.getMessage().contains("Linear") && e.getMessage().contains("multiplier"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 1, 1, 1, 0, true).setMultiplier(bad));
        }
    }
}
