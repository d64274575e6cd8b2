package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CPU softmax, log-softmax and their backward rules against the reference and finite differences. */
class SoftmaxTest extends KernelFixture {
    @ParameterizedTest
    @EnumSource(DType.class)
    void everyAxisOfRank3And4OnViews(DType dt) {
        for (int[] shape : new int[][] {{3, 17, 5}, {2, 3, 4, 9}}) {
            Tensor x = scaled(TestTensors.random(scope, dt, 1, shape), 4);
            Tensor g = TestTensors.random(scope, dt, 2, shape);
            for (Tensor v : new Tensor[] {x, TestTensors.strided(scope, x), x.transpose(0, -1)}) {
                for (int axis = 0; axis < shape.length; axis++) {
                    checkAll(v, v.sameShape(x) ? g : g.transpose(0, -1), axis);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void awkwardRowLengthsAndThreads(DType dt) {
        for (int n : ReduceTest.LENGTHS) {
            checkAll(scaled(TestTensors.random(scope, dt, n, 3, n), 5), TestTensors.random(scope, dt, -n, 3, n), -1);
            // an earlier axis of a contiguous tensor: vectors run across the n columns after it
            checkAll(scaled(TestTensors.random(scope, dt, n, 2, 5, n), 5), TestTensors.random(scope, dt, -n, 2, 5, n), 1);
        }
        // Sizes past two tasks' worth of work, so cpu2 splits the fibers over its threads.
        checkAll(scaled(TestTensors.random(scope, dt, 3, 3, 30011), 5), TestTensors.random(scope, dt, 4, 3, 30011), 1);
        checkAll(scaled(TestTensors.random(scope, dt, 5, 2003, 33), 5), TestTensors.random(scope, dt, 6, 2003, 33), 1);
        checkAll(scaled(TestTensors.random(scope, dt, 7, 40, 50, 40), 5), TestTensors.random(scope, dt, 8, 40, 50, 40), 1);
    }

    /** Logits of ±1000 overflow exp unless the row max is subtracted first. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void hugeLogitsStayFinite(DType dt) {
        for (int n : new int[] {2, 17, 40}) {
            Tensor x = scope.full(dt, 0, 2, n);
            x.set(1000, 0, 0);
            x.set(-1000, 0, n - 1);
            x.set(1000, 1, 1);
            x.set(999, 1, 0);
            Tensor y = scope.empty(dt, 2, n), ly = scope.empty(dt, 2, n);
            cpu1.softmax(x, 1, y);
            cpu1.logSoftmax(x, 1, ly);
            assertEquals(1, y.get(0, 0), 1e-6);
            assertEquals(0, y.get(0, n - 1));
            assertEquals(-2000, ly.get(0, n - 1), 1e-3);
            assertEquals(1 / (1 + Math.exp(-1)), y.get(1, 1), 1e-6);
            assertEquals(-Math.log1p(Math.exp(-1)), ly.get(1, 1), 1e-6);
            for (long i = 0; i < y.numel(); i++) {
                assertTrue(Double.isFinite(y.getFlat(i)) && Double.isFinite(ly.getFlat(i)), "element " + i);
            }
            checkAll(x, TestTensors.random(scope, dt, 3, 2, n), 1);
            Tensor columns = scope.copyOf(x.mT()); // the same logits down the columns of [n, 2]
            Tensor cy = scope.empty(dt, n, 2);
            cpu1.softmax(columns, 0, cy);
            assertEquals(1 / (1 + Math.exp(-1)), cy.get(1, 1), 1e-6);
            checkAll(columns, TestTensors.random(scope, dt, 4, n, 2), 0);
        }
    }

    /** The backward rules are the derivatives: central differences of L = Σ w ⊙ f(x) in double. */
    @Test
    void backwardMatchesFiniteDifferences() {
        DType dt = DType.F64;
        Tensor x = scaled(TestTensors.random(scope, dt, 1, 3, 4, 5), 2);
        Tensor w = TestTensors.random(scope, dt, 2, 3, 4, 5);
        for (boolean log : new boolean[] {false, true}) {
            for (int axis = 0; axis < 3; axis++) {
                Tensor y = scope.empty(dt, 3, 4, 5), gx = scope.empty(dt, 3, 4, 5);
                apply(cpu1, log, x, axis, y);
                if (log) {
                    cpu1.logSoftmaxBackward(y, w, axis, gx);
                } else {
                    cpu1.softmaxBackward(y, w, axis, gx);
                }
                double h = 1e-6;
                for (long i = 0; i < x.numel(); i++) {
                    double x0 = x.getFlat(i);
                    x.setFlat(i, x0 + h);
                    double up = weighted(log, x, axis, w);
                    x.setFlat(i, x0 - h);
                    double down = weighted(log, x, axis, w);
                    x.setFlat(i, x0);
                    assertEquals((up - down) / (2 * h), gx.getFlat(i), 1e-8, (log ? "log" : "") + "softmax axis " + axis);
                }
            }
        }
    }

    @Test
    void mismatchedShapesAreNamed() {
        Tensor x = scope.empty(DType.F32, 4, 5);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cpu1.softmax(x, 1, scope.empty(DType.F32, 5, 4)));
        assertTrue(e.getMessage().contains("softmax") && e.getMessage().contains("[5, 4]"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cpu1.logSoftmaxBackward(x, scope.empty(DType.F32, 4, 1), 1, x));
        assertTrue(e.getMessage().contains("logSoftmaxBackward") && e.getMessage().contains("gy"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cpu1.softmax(x, 2, scope.empty(DType.F32, 4, 5)));
        assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
    }

    private double weighted(boolean log, Tensor x, int axis, Tensor w) {
        Tensor y = scope.emptyLike(x);
        apply(REF, log, x, axis, y);
        double s = 0;
        for (long i = 0; i < y.numel(); i++) {
            s += y.getFlat(i) * w.getFlat(i);
        }
        return s;
    }

    private static void apply(Backend b, boolean log, Tensor x, int axis, Tensor out) {
        if (log) {
            b.logSoftmax(x, axis, out);
        } else {
            b.softmax(x, axis, out);
        }
    }

    private Tensor scaled(Tensor t, double k) {
        for (long i = 0; i < t.numel(); i++) {
            t.setFlat(i, t.getFlat(i) * k);
        }
        return t;
    }

    /** Forward and backward of softmax and log-softmax along axis, both CPU backends vs the reference. */
    private void checkAll(Tensor x, Tensor g, int axis) {
        DType dt = x.dtype();
        double rtol = dt == DType.F32 ? 2e-5 : 1e-12, atol = dt == DType.F32 ? 1e-6 : 1e-14;
        for (boolean log : new boolean[] {false, true}) {
            Tensor ey = scope.emptyLike(x), egx = scope.emptyLike(x);
            apply(REF, log, x, axis, ey);
            if (log) {
                REF.logSoftmaxBackward(ey, g, axis, egx);
            } else {
                REF.softmaxBackward(ey, g, axis, egx);
            }
            for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
                String what = (log ? "logSoftmax" : "softmax") + " of " + x + " strides "
                        + java.util.Arrays.toString(x.strides()) + " axis " + axis + " on " + b.describe();
                Tensor y = scope.full(dt, Double.NaN, x.shape()), gx = scope.full(dt, Double.NaN, x.shape());
                apply(b, log, x, axis, y);
                if (log) {
                    b.logSoftmaxBackward(ey, g, axis, gx);
                } else {
                    b.softmaxBackward(ey, g, axis, gx);
                }
                try {
                    TestTensors.assertClose(ey, y, rtol, atol);
                    TestTensors.assertClose(egx, gx, rtol, atol);
                } catch (AssertionError e) {
                    throw new AssertionError(what + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
