package optlab.optim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import optlab.optim.OptimConfigs;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The clipping loops of the scalar twin (what runs without the Vector API) against plain loops and against the
 * vector kernels, on an offset view: scale and clamp bit for bit (one rounding per element either way), the sum of
 * squares to the dtype's precision (the vector kernel sums per lane).
 */
class ScalarKernelTest {
    @ParameterizedTest
    @EnumSource(DType.class)
    void scaleClampAndSumOfSquaresMatchTheVectorKernels(DType dtype) {
        boolean f32 = dtype == DType.F32;
        for (int n : new int[] {1, 5, 17, 4099}) {
            try (Scope scope = Scope.open()) {
                double[] v = OptimConfigs.uniform(7 + n, n, -3, 3);
                v[n / 2] = Double.NaN; // NaN stays NaN under clamp, as torch.clamp
                Tensor a = scope.zeros(dtype, n + 2).slice(0, 2, n + 2), b = scope.zeros(dtype, n + 2).slice(0, 2, n + 2);
                OptimConfigs.fill(a, v);
                OptimConfigs.fill(b, v);
                MemorySegment sa = a.segment(), sb = b.segment();
                long off = a.offset(), bytes = dtype.byteSize();

                double want = 0;
                for (int i = 0; i < n; i++) {
                    double x = a.getFlat(i);
                    want += i == n / 2 ? 0 : x * x;
                }
                a.setFlat(n / 2, 0);
                double got = f32 ? ScalarKernelF32.sumOfSquares(sa, off, n) : ScalarKernelF64.sumOfSquares(sa, off, n);
                assertEquals(want, got, 1e-12 * want, "sum of squares n=" + n);
                a.setFlat(n / 2, Double.NaN);

                if (f32) {
                    ScalarKernelF32.scale(sa, off, n, 0.3);
                    GradKernelF32.scale(sb, b.offset() * bytes, n, 0.3);
                    ScalarKernelF32.clamp(sa, off, n, -0.5, 0.25);
                    GradKernelF32.clamp(sb, b.offset() * bytes, n, -0.5, 0.25);
                } else {
                    ScalarKernelF64.scale(sa, off, n, 0.3);
                    GradKernelF64.scale(sb, b.offset() * bytes, n, 0.3);
                    ScalarKernelF64.clamp(sa, off, n, -0.5, 0.25);
                    GradKernelF64.clamp(sb, b.offset() * bytes, n, -0.5, 0.25);
                }
                for (int i = 0; i < n; i++) {
                    double x = a.getFlat(i);
                    String what = dtype + " scale+clamp n=" + n + " i=" + i;
                    if (i == n / 2) {
                        assertTrue(Double.isNaN(x) && Double.isNaN(b.getFlat(i)), what);
                    } else {
                        assertEquals(Double.doubleToRawLongBits(b.getFlat(i)), Double.doubleToRawLongBits(x), what);
                        assertTrue(x >= -0.5 && x <= 0.25, what + ": " + x);
                    }
                }
            }
        }
    }
}
