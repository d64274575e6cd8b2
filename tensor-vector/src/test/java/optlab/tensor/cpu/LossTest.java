package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Fused cross-entropy and MSE: hand values, logSoftmax + gather, the reference, finite differences, bad input. */
class LossTest extends KernelFixture {
    @ParameterizedTest
    @EnumSource(DType.class)
    void crossEntropyByHand(DType dt) {
        Tensor logits = scope.of(dt, new double[] {1, 2, 3, 1, 1, 1}, 2, 3);
        Tensor labels = scope.of(dt, new double[] {2, 0}, 2);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        double expected = ((Math.log(z) - 3) + Math.log(3)) / 2;
        double tol = dt == DType.F32 ? 1e-6 : 1e-14;
        for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
            Tensor grad = scope.empty(dt, 2, 3);
            assertEquals(expected, b.crossEntropy(logits, labels, grad), tol);
            assertEquals((Math.exp(3) / z - 1) / 2, grad.get(0, 2), tol);
            assertEquals(Math.exp(1) / z / 2, grad.get(0, 0), tol);
            assertEquals((1.0 / 3 - 1) / 2, grad.get(1, 0), tol);
            assertEquals(1.0 / 6, grad.get(1, 2), tol);
            // The same labels as one-hot probabilities give the same loss.
            Tensor onehot = scope.of(dt, new double[] {0, 0, 1, 1, 0, 0}, 2, 3);
            assertEquals(expected, b.crossEntropy(logits, onehot, null), tol);
        }
    }

    /** Labels: loss = −mean log_softmax[i, t_i]; probabilities: −mean Σ p ⊙ log_softmax; grads vs the reference. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void crossEntropyMatchesLogSoftmaxAndReference(DType dt) {
        SplittableRandom rng = new SplittableRandom(3);
        for (int c : ReduceTest.LENGTHS) {
            for (int n : new int[] {1, 7}) {
                Tensor logits = scaled(TestTensors.random(scope, dt, c * 31L + n, n, c), 6);
                Tensor labels = scope.empty(dt, n);
                for (int i = 0; i < n; i++) {
                    labels.set(rng.nextInt(c), i);
                }
                Tensor probs = scope.empty(dt, n, c);
                REF.softmax(TestTensors.random(scope, dt, c, n, c), 1, probs);
                Tensor ls = scope.empty(dt, n, c);
                cpu1.logSoftmax(logits, 1, ls);
                double byLabels = 0, byProbs = 0;
                for (int i = 0; i < n; i++) {
                    byLabels -= ls.get(i, (int) labels.get(i)) / n;
                    for (int k = 0; k < c; k++) {
                        byProbs -= probs.get(i, k) * ls.get(i, k) / n;
                    }
                }
                double tol = dt == DType.F32 ? 1e-5 : 1e-12;
                assertEquals(byLabels, cpu1.crossEntropy(logits, labels, null), tol * Math.max(1, Math.abs(byLabels)));
                assertEquals(byProbs, cpu1.crossEntropy(logits, probs, null), tol * Math.max(1, Math.abs(byProbs)));
                check(logits, labels);
                check(logits, probs);
                check(TestTensors.strided(scope, logits), labels);
                check(scope.copyOf(logits.mT()).mT(), TestTensors.strided(scope, probs));
            }
        }
        Tensor big = TestTensors.random(scope, dt, 9, 3001, 33); // enough rows for cpu2 to split
        Tensor labels = scope.empty(dt, 3001);
        for (int i = 0; i < 3001; i++) {
            labels.set(rng.nextInt(33), i);
        }
        check(big, labels);
    }

    @Test
    void crossEntropyGradientIsTheDerivative() {
        DType dt = DType.F64;
        Tensor logits = scaled(TestTensors.random(scope, dt, 1, 4, 5), 3);
        Tensor labels = scope.of(dt, new double[] {4, 0, 2, 2}, 4);
        Tensor probs = scope.empty(dt, 4, 5);
        REF.softmax(TestTensors.random(scope, dt, 2, 4, 5), 1, probs);
        for (Tensor target : new Tensor[] {labels, probs}) {
            Tensor grad = scope.empty(dt, 4, 5);
            cpu1.crossEntropy(logits, target, grad);
            assertFiniteDifferences(grad, logits, () -> cpu1.crossEntropy(logits, target, null));
        }
    }

    @Test
    void badLabelsAreNamed() {
        Tensor logits = scope.empty(DType.F32, 3, 4);
        for (double bad : new double[] {1.5, -1, 4, Double.NaN}) {
            Tensor labels = scope.of(DType.F32, new double[] {0, 3, bad}, 3);
            for (Backend b : new Backend[] {cpu1, REF}) {
                var e = assertThrows(IllegalArgumentException.class, () -> b.crossEntropy(logits, labels, null));
                assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("target[2] = " + (float) bad)
                        && e.getMessage().contains("[0, 4)"), e.getMessage());
            }
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.crossEntropy(logits, scope.empty(DType.F32, 4), null));
        assertTrue(e.getMessage().contains("target") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.crossEntropy(logits, scope.empty(DType.F32, 3, 5), null));
        assertTrue(e.getMessage().contains("[3, 5]") && e.getMessage().contains("[3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.crossEntropy(logits, scope.zeros(DType.F32, 3), scope.empty(DType.F32, 4, 3)));
        assertTrue(e.getMessage().contains("grad"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.crossEntropy(scope.empty(DType.F32, 0, 4), scope.empty(DType.F32, 0), null));
        assertTrue(e.getMessage().contains("empty batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.crossEntropy(scope.empty(DType.F32, 2, 3, 4), scope.empty(DType.F32, 2), null));
        assertTrue(e.getMessage().contains("logits") && e.getMessage().contains("rank 2"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void hugeLogitsGiveFiniteLoss(DType dt) {
        Tensor logits = scope.of(dt, new double[] {1000, -1000, 0, -1000, 1000, 999}, 2, 3);
        Tensor labels = scope.of(dt, new double[] {0, 2}, 2);
        Tensor grad = scope.empty(dt, 2, 3);
        double loss = cpu1.crossEntropy(logits, labels, grad);
        assertEquals((0 + Math.log1p(Math.exp(1))) / 2, loss, 1e-6);
        for (long i = 0; i < 6; i++) {
            assertTrue(Double.isFinite(grad.getFlat(i)));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void mseMatchesReference(DType dt) {
        for (int n : ReduceTest.LENGTHS) {
            Tensor a = TestTensors.random(scope, dt, n, 3, n), b = TestTensors.random(scope, dt, -n, 3, n);
            checkMse(a, b);
            checkMse(TestTensors.strided(scope, a), b);
            checkMse(a.mT(), b.mT());
        }
        checkMse(TestTensors.random(scope, dt, 1, 100003), TestTensors.random(scope, dt, 2, 100003));
        checkMse(TestTensors.strided(scope, TestTensors.random(scope, dt, 3, 100, 1001)), TestTensors.random(scope, dt, 4, 100, 1001));
        checkMse(scope.scalar(dt, 3).reshape(), scope.scalar(dt, 1.5).reshape());
        assertTrue(Double.isNaN(cpu1.mse(scope.empty(dt, 0, 3), scope.empty(dt, 0, 3), null)));
    }

    @Test
    void mseGradientIsTheDerivative() {
        Tensor a = TestTensors.random(scope, DType.F64, 1, 3, 5), b = TestTensors.random(scope, DType.F64, 2, 3, 5);
        Tensor grad = scope.empty(DType.F64, 3, 5);
        cpu1.mse(a, b, grad);
        assertFiniteDifferences(grad, a, () -> cpu1.mse(a, b, null));
        var e = assertThrows(IllegalArgumentException.class, () -> cpu1.mse(a, b.mT(), null));
        assertTrue(e.getMessage().contains("mse") && e.getMessage().contains("[5, 3]"), e.getMessage());
    }

    private void check(Tensor logits, Tensor target) {
        DType dt = logits.dtype();
        Tensor eg = scope.empty(dt, logits.shape());
        double expected = REF.crossEntropy(logits, target, eg);
        double rtol = dt == DType.F32 ? 1e-5 : 1e-12;
        for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
            Tensor grad = scope.full(dt, Double.NaN, logits.shape());
            assertEquals(expected, b.crossEntropy(logits, target, grad), rtol * Math.max(1, Math.abs(expected)));
            TestTensors.assertClose(eg, grad, rtol, dt == DType.F32 ? 1e-8 : 1e-16);
        }
    }

    private void checkMse(Tensor a, Tensor b) {
        DType dt = a.dtype();
        Tensor eg = scope.empty(dt, a.shape());
        double expected = REF.mse(a, b, eg);
        for (CpuBackend be : new CpuBackend[] {cpu1, cpu2}) {
            Tensor grad = scope.full(dt, Double.NaN, a.shape());
            assertEquals(expected, be.mse(a, b, grad), TestTensors.rtol(dt) * expected);
            assertEquals(expected, be.mse(a, b, null), TestTensors.rtol(dt) * expected);
            TestTensors.assertClose(eg, grad, TestTensors.rtol(dt), 0);
        }
    }

    /** Central differences of loss() with respect to each element of x, against grad. */
    private static void assertFiniteDifferences(Tensor grad, Tensor x, java.util.function.DoubleSupplier loss) {
        double h = 1e-6;
        for (long i = 0; i < x.numel(); i++) {
            double x0 = x.getFlat(i);
            x.setFlat(i, x0 + h);
            double up = loss.getAsDouble();
            x.setFlat(i, x0 - h);
            double down = loss.getAsDouble();
            x.setFlat(i, x0);
            assertEquals((up - down) / (2 * h), grad.getFlat(i), 1e-8, "element " + i);
        }
    }

    private static Tensor scaled(Tensor t, double k) {
        for (long i = 0; i < t.numel(); i++) {
            t.setFlat(i, t.getFlat(i) * k);
        }
        return t;
    }
}
