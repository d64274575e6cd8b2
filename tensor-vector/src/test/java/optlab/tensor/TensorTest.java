package optlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TensorTest {

    private static Tensor iota(Scope s, DType dtype, int... shape) {
        Tensor t = s.empty(dtype, shape);
        for (long i = 0; i < t.numel(); i++) {
            t.setFlat(i, i);
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void viewsShareMemory(DType dtype) {
        try (Scope s = Scope.open()) {
            Tensor t = iota(s, dtype, 2, 3, 4);
            Tensor r = t.reshape(6, -1);
            assertArrayEquals(new int[] {6, 4}, r.shape());
            r.set(-1, 5, 3);
            assertEquals(-1, t.get(1, 2, 3));
            Tensor tr = t.transpose(0, 2);
            assertArrayEquals(new int[] {4, 3, 2}, tr.shape());
            assertEquals(t.get(1, 2, 0), tr.get(0, 2, 1));
            assertFalse(tr.isContiguous());
            Tensor p = t.permute(2, 0, 1);
            assertEquals(t.get(1, 0, 3), p.get(3, 1, 0));
            assertEquals(t.segment(), p.segment());
        }
    }

    @Test
    void sliceSelectSqueezeUnsqueeze() {
        try (Scope s = Scope.open()) {
            Tensor t = iota(s, DType.F32, 4, 5);
            Tensor sl = t.slice(1, 1, 5, 2); // columns 1 and 3
            assertArrayEquals(new int[] {4, 2}, sl.shape());
            assertEquals(t.get(2, 3), sl.get(2, 1));
            assertEquals(1, sl.offset());
            Tensor row = t.select(0, 2);
            assertArrayEquals(new int[] {5}, row.shape());
            assertEquals(12, row.get(2));
            Tensor u = row.unsqueeze(0);
            assertArrayEquals(new int[] {1, 5}, u.shape());
            assertArrayEquals(new int[] {5}, u.squeeze(0).shape());
            assertArrayEquals(new int[] {5, 1}, row.unsqueeze(-1).shape());
            assertEquals(t.get(2, 4), row.unsqueeze(-1).get(4, 0));
        }
    }

    @Test
    void broadcastRepeatsWithZeroStride() {
        try (Scope s = Scope.open()) {
            Tensor row = iota(s, DType.F64, 3);
            Tensor b = row.broadcastTo(4, 3);
            assertEquals(0, b.stride(0));
            assertEquals(2.0, b.get(3, 2));
            assertArrayEquals(new int[] {2, 4, 3}, Shapes.broadcast(new int[] {2, 1, 3}, new int[] {4, 1}));
            var e = assertThrows(IllegalArgumentException.class, () -> row.broadcastTo(4, 2));
            assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        }
    }

    @Test
    void errorsNameTheShape() {
        try (Scope s = Scope.open()) {
            Tensor t = s.zeros(DType.F32, 2, 3);
            var e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
            assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
            var e2 = assertThrows(IllegalStateException.class, () -> t.mT().reshape(6));
            assertTrue(e2.getMessage().contains("non-contiguous"), e2.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.slice(1, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> t.axis(2));
            assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
            assertThrows(IllegalArgumentException.class, () -> s.empty(DType.F32, 2, -1));
        }
    }

    @Test
    void copyConvertsDtypeAndLayout() {
        try (Scope s = Scope.open()) {
            Tensor a = iota(s, DType.F32, 3, 4);
            Tensor b = s.copyOf(a.mT(), DType.F64);
            assertTrue(b.isContiguous());
            assertEquals(DType.F64, b.dtype());
            assertEquals(a.get(2, 1), b.get(1, 2));
            assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, b.toDoubleArray());
        }
    }

    @Test
    void emptyAndScalarShapes() {
        try (Scope s = Scope.open()) {
            Tensor e = s.zeros(DType.F32, 0, 5);
            assertEquals(0, e.numel());
            assertEquals(0, e.toFloatArray().length);
            Tensor sc = s.scalar(DType.F64, 2.5);
            assertEquals(0, s.empty(DType.F64).rank());
            assertEquals(2.5, sc.item());
        }
    }

    @Test
    void f32RoundsF64Keeps() {
        try (Scope s = Scope.open()) {
            double tiny = 1 + 1e-9;
            assertEquals(1.0, s.scalar(DType.F32, tiny).item());
            assertEquals(tiny, s.scalar(DType.F64, tiny).item());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void copyFromContiguousBlocksAndOverlappingViewsGivesTheElementwiseResult(DType dtype) {
        try (Scope s = Scope.open()) {
            Tensor src = iota(s, dtype, 3, 5);
            Tensor dst = s.zeros(dtype, 3, 5);
            dst.copyFrom(src); // byte copy
            for (int i = 0; i < 15; i++) {
                assertEquals(src.getFlat(i), dst.getFlat(i));
            }
            Tensor other = s.zeros(dtype == DType.F32 ? DType.F64 : DType.F32, 3, 5);
            other.copyFrom(src); // element loop: another dtype
            assertEquals(src.getFlat(14), other.getFlat(14));
            Tensor flat = iota(s, dtype, 10);
            flat.slice(0, 2, 10).copyFrom(flat.slice(0, 0, 8)); // overlapping: element by element, as before
            assertEquals(flat.getFlat(0), flat.getFlat(2));
            assertEquals(flat.getFlat(0), flat.getFlat(4));
        }
    }

    /** The raw-byte path (contiguous, one dtype) and the element loop (strided, or another dtype) copy alike. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void copyFromContiguousAndStrided(DType dtype) {
        try (Scope scope = Scope.open()) {
            double[] v = new double[12];
            for (int i = 0; i < v.length; i++) {
                v[i] = i * 0.5 - 2;
            }
            Tensor src = scope.of(dtype, v, 3, 4);
            Tensor big = scope.zeros(dtype, 5, 4), dst = big.slice(0, 1, 4); // contiguous at an offset
            dst.copyFrom(src);
            assertArrayEquals(v, dst.toDoubleArray());
            assertEquals(0, big.getFlat(3), "rows outside the view untouched");
            assertEquals(0, big.getFlat(16));
            Tensor t = scope.zeros(dtype, 4, 3);
            t.copyFrom(src.transpose(0, 1)); // strided source
            assertEquals(src.transpose(0, 1).toDoubleArray()[5], t.toDoubleArray()[5]);
            Tensor other = scope.zeros(dtype == DType.F32 ? DType.F64 : DType.F32, 3, 4);
            other.copyFrom(src); // another dtype
            assertArrayEquals(v, other.toDoubleArray());
        }
    }
}
