package optlab.tensor.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.ReduceOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The oracle itself, on values small enough to work out by hand. */
class RefReduceSoftmaxTest {
    private static final double EPS = 1e-15;
    private final Backend ref = new ReferenceBackend();
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private Tensor t(double[] v, int... shape) {
        return scope.of(DType.F64, v, shape);
    }

    private double[] reduce(ReduceOp op, Tensor x, int... outShape) {
        Tensor out = scope.empty(DType.F64, outShape);
        ref.reduce(op, x, out);
        return out.toDoubleArray();
    }

    @Test
    void reductions() {
        Tensor x = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[] {6, 15}, reduce(ReduceOp.SUM, x, 2, 1));
        assertArrayEquals(new double[] {5, 7, 9}, reduce(ReduceOp.SUM, x, 1, 3));
        assertArrayEquals(new double[] {3.5}, reduce(ReduceOp.MEAN, x, 1, 1));
        assertArrayEquals(new double[] {3, 6}, reduce(ReduceOp.MAX, x, 2, 1));
        assertArrayEquals(new double[] {1, 2, 3}, reduce(ReduceOp.MIN, x, 1, 3));
        assertArrayEquals(x.toDoubleArray(), reduce(ReduceOp.MEAN, x, 2, 3));
        x.set(Double.NaN, 1, 0);
        assertArrayEquals(new double[] {3, Double.NaN}, reduce(ReduceOp.MAX, x, 2, 1));
        assertArrayEquals(new double[] {1, Double.NaN}, reduce(ReduceOp.MIN, x, 2, 1));
    }

    @Test
    void argmaxTakesTheFirstMaximumAndNaN() {
        Tensor x = t(new double[] {1, 3, 3, Double.NaN, 5, Double.NaN}, 2, 3);
        Tensor rows = scope.empty(DType.F64, 2, 1), cols = scope.empty(DType.F64, 1, 3);
        ref.argmax(x, 1, rows);
        ref.argmax(x, 0, cols);
        assertArrayEquals(new double[] {1, 0}, rows.toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1}, cols.toDoubleArray());
    }

    @Test
    void moments() {
        Tensor x = t(new double[] {1, 2, 3, 4}, 4);
        Tensor mean = scope.empty(DType.F64, 1), var = scope.empty(DType.F64, 1);
        ref.moments(x, mean, var, 0);
        assertEquals(2.5, mean.item());
        assertEquals(1.25, var.item(), EPS);
        ref.moments(x, mean, var, 1);
        assertEquals(5.0 / 3, var.item(), EPS);
    }

    @Test
    void softmaxAndBackward() {
        Tensor x = t(new double[] {0, Math.log(2), Math.log(3)}, 3);
        Tensor y = scope.empty(DType.F64, 3);
        ref.softmax(x, 0, y);
        assertArrayEquals(new double[] {1.0 / 6, 2.0 / 6, 3.0 / 6}, y.toDoubleArray(), EPS);
        ref.logSoftmax(x, 0, y);
        assertArrayEquals(new double[] {Math.log(1.0 / 6), Math.log(2.0 / 6), Math.log(0.5)}, y.toDoubleArray(), 4 * EPS);

        Tensor gx = scope.empty(DType.F64, 2);
        ref.softmaxBackward(t(new double[] {0.5, 0.5}, 2), t(new double[] {1, 0}, 2), 0, gx); // Σ gy·y = 0.5
        assertArrayEquals(new double[] {0.25, -0.25}, gx.toDoubleArray(), EPS);
        ref.logSoftmaxBackward(t(new double[] {Math.log(0.25), Math.log(0.75)}, 2), t(new double[] {1, 1}, 2), 0, gx);
        assertArrayEquals(new double[] {0.5, -0.5}, gx.toDoubleArray(), EPS); // Σ gy = 2
    }

    @Test
    void losses() {
        Tensor logits = t(new double[] {0, Math.log(3)}, 1, 2); // softmax [1/4, 3/4]
        Tensor grad = scope.empty(DType.F64, 1, 2);
        assertEquals(-Math.log(0.75), ref.crossEntropy(logits, t(new double[] {1}, 1), grad), EPS);
        assertArrayEquals(new double[] {0.25, -0.25}, grad.toDoubleArray(), EPS);
        assertEquals(-0.5 * Math.log(0.25) - 0.5 * Math.log(0.75),
                ref.crossEntropy(logits, t(new double[] {0.5, 0.5}, 1, 2), grad), EPS);
        assertArrayEquals(new double[] {-0.25, 0.25}, grad.toDoubleArray(), EPS);

        Tensor mg = scope.empty(DType.F64, 2);
        assertEquals(2.5, ref.mse(t(new double[] {1, 2}, 2), t(new double[] {0, 4}, 2), mg));
        assertArrayEquals(new double[] {1, -2}, mg.toDoubleArray());
        assertTrue(Double.isNaN(ref.mse(scope.empty(DType.F64, 0), scope.empty(DType.F64, 0), null)));
    }
}
