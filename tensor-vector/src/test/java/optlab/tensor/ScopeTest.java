package optlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void pooledScopesReachSteadyState() {
        try (BufferPool pool = new BufferPool()) {
            long afterFirst = -1;
            for (int step = 0; step < 1000; step++) {
                try (Scope s = Scope.open(pool)) {
                    s.empty(DType.F32, 100, 4000);
                    s.zeros(DType.F32, 100, 4000);
                    s.empty(DType.F64, 17);
                }
                if (step == 0) {
                    afterFirst = pool.allocatedBytes();
                }
            }
            assertEquals(afterFirst, pool.allocatedBytes(), "a steady loop must not allocate new buffers");
            assertEquals(2L * 100 * 4000 * 4 + 17 * 8, afterFirst);
        }
    }

    @Test
    void closedScopeRefusesAndFreesMemory() {
        Scope s = Scope.open();
        Tensor t = s.zeros(DType.F32, 4);
        s.close();
        assertThrows(IllegalStateException.class, () -> t.get(0));
        assertThrows(IllegalStateException.class, () -> s.empty(DType.F32, 1));
    }

    @Test
    void memoryIsAlignedForWideVectors() {
        try (Scope s = Scope.open()) {
            for (int n : TestTensors.AWKWARD) {
                assertEquals(0, s.empty(DType.F32, n).segment().address() % 64);
            }
        }
    }

    @Test
    void seededSamplingIsDeterministic() {
        try (Scope s = Scope.open()) {
            Tensor a = s.randn(DType.F64, new SplittableRandom(7), 1000);
            Tensor b = s.randn(DType.F64, new SplittableRandom(7), 1000);
            TestTensors.assertClose(a, b, 0, 0);
            double mean = 0, sq = 0;
            for (double v : a.toDoubleArray()) {
                mean += v / 1000;
                sq += v * v / 1000;
            }
            assertEquals(0, mean, 0.1);
            assertEquals(1, sq - mean * mean, 0.15);
        }
    }
}
