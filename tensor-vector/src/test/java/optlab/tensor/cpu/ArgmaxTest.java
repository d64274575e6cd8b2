package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CPU argmax against the reference: every axis, ties (first wins), NaN (counts as the maximum), views. */
class ArgmaxTest extends KernelFixture {
    @ParameterizedTest
    @EnumSource(DType.class)
    void everyAxisWithTies(DType dt) {
        for (int n : ReduceTest.LENGTHS) {
            Tensor x = ties(dt, n, 3, n, 2);
            for (Tensor v : new Tensor[] {x, TestTensors.strided(scope, x), x.transpose(0, 1)}) {
                for (int axis = 0; axis < 3; axis++) {
                    check(v, axis);
                }
            }
            check(ties(dt, n + 7, 2, n), -1); // contiguous rows: the vector path
        }
        check(ties(dt, 5, 40, 100003 / 40), 1);
        check(ties(dt, 6, 3, 100003), 1);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nanCountsAsTheMaximum(DType dt) {
        for (int n : new int[] {1, 3, 17, 33, 200}) {
            Tensor x = TestTensors.random(scope, dt, n, 2, n);
            x.set(Double.POSITIVE_INFINITY, 0, 0);
            x.set(Double.NaN, 1, n - 1);
            x.set(Double.NaN, 1, n / 2);
            Tensor out = scope.empty(dt, 2, 1);
            cpu1.argmax(x, 1, out);
            assertEquals(0, out.get(0, 0));
            assertEquals(n / 2, out.get(1, 0));
            check(x, 1);
            check(x, 0);
        }
        Tensor minusInf = scope.full(dt, Double.NEGATIVE_INFINITY, 3, 20);
        Tensor out = scope.full(dt, 9, 3, 1);
        cpu1.argmax(minusInf, 1, out);
        assertEquals(0, out.get(2, 0));
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = scope.empty(DType.F32, 4, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> cpu1.argmax(x, 1, scope.empty(DType.F32, 1, 5)));
        assertTrue(e.getMessage().contains("argmax") && e.getMessage().contains("[4, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cpu1.argmax(x, 2, scope.empty(DType.F32, 4, 1)));
        assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cpu1.argmax(scope.empty(DType.F32, 4, 0), 1, scope.empty(DType.F32, 4, 1)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    /** Random small integers, so every row has tied maxima. */
    private Tensor ties(DType dt, long seed, int... shape) {
        Tensor t = TestTensors.random(scope, dt, seed, shape);
        for (long i = 0; i < t.numel(); i++) {
            t.setFlat(i, Math.floor(t.getFlat(i) * 3));
        }
        return t;
    }

    private void check(Tensor x, int axis) {
        int[] os = x.shape();
        os[x.axis(axis)] = 1;
        Tensor expected = scope.empty(x.dtype(), os);
        REF.argmax(x, axis, expected);
        for (CpuBackend b : new CpuBackend[] {cpu1, cpu2}) {
            Tensor actual = scope.full(x.dtype(), -1, os);
            b.argmax(x, axis, actual);
            TestTensors.assertClose(expected, actual, 0, 0);
        }
    }
}
