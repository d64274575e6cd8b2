package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static optlab.tensor.TestTensors.random;
import static optlab.tensor.TestTensors.strided;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Max and average pooling and their gradients: CPU kernels against the reference, which FD checks. */
class PoolTest {
    private static final CpuBackend CPU = new CpuBackend(2);
    private static final Backend REF = new ReferenceBackend();

    @AfterAll
    static void close() {
        CPU.close();
    }

    /** N, C, H, W, kernel, stride, padding: overlapping windows (stride < kernel), padding, tiny planes. */
    static Stream<Arguments> geometries() {
        int[][] cases = {
            {1, 1, 1, 1, 2, 1, 1},   // one pixel, padded on every side
            {1, 3, 5, 5, 2, 2, 0},   // the classic 2×2/2, odd size drops the last row
            {3, 1, 5, 7, 3, 1, 1},   // overlapping, "same" size
            {3, 3, 7, 5, 3, 2, 1},
            {1, 3, 17, 17, 2, 1, 0}, // overlapping 2×2
            {3, 1, 17, 7, 3, 2, 0},
            {1, 1, 7, 17, 3, 1, 0},
            {3, 3, 1, 17, 2, 2, 1},  // H = 1
            {1, 3, 17, 1, 3, 1, 1},  // W = 1
            {1, 1, 5, 5, 3, 3, 1},
            // 2×2/2 vector path: output widths 1, 15, 17, 33, 127 around the lane counts, odd sizes
            {3, 2, 3, 3, 2, 2, 0},
            {1, 1, 5, 31, 2, 2, 0},
            {2, 3, 6, 34, 2, 2, 0},
            {1, 2, 7, 35, 2, 2, 0},
            {1, 1, 4, 66, 2, 2, 0},
            {1, 1, 2, 255, 2, 2, 0},
            // small contiguous planes, several output rows per vector (Pool2x2Packed*): wo 8, 4, 2, 1,
            // odd h, and rows left over after the whole vectors
            {2, 3, 16, 16, 2, 2, 0},
            {1, 2, 8, 8, 2, 2, 0},
            {2, 2, 4, 4, 2, 2, 0},
            {1, 3, 2, 2, 2, 2, 0},
            {1, 1, 9, 8, 2, 2, 0},
            {1, 2, 14, 8, 2, 2, 0},
            {1, 1, 6, 4, 2, 2, 0},
            {1, 1, 34, 4, 2, 2, 0},
            {1, 1, 7, 2, 2, 2, 0},
            // 3×3/2 padded gives the same output size as 2×2/2: backward must see argmax leave the block
            {1, 2, 8, 34, 3, 2, 1},
            {1, 2, 8, 8, 3, 2, 1},
        };
        return Stream.of(cases).flatMap(c -> Stream.of(DType.F32, DType.F64).map(d -> Arguments.of(c, d)));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void maxPoolMatchesReferenceWithTies(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Pool2dSpec spec = spec(c);
            // Values from {-2..2}: most windows hold ties, so the first-maximum rule is exercised.
            Tensor x = integers(s, dt, c[0], c[1], c[2], c[3]);
            int[] os = outShape(c, spec);
            Tensor want = s.zeros(dt, os), wantArg = s.zeros(dt, os);
            REF.maxPool2d(x, spec, want, wantArg);
            Tensor got = strided(s, s.zeros(dt, os)), gotArg = strided(s, s.zeros(dt, os));
            CPU.maxPool2d(strided(s, x), spec, got, gotArg);
            assertClose(want, got, 0, 0);
            assertClose(wantArg, gotArg, 0, 0);
            Tensor got2 = s.zeros(dt, os);
            CPU.maxPool2d(x, spec, got2, null);
            assertClose(want, got2, 0, 0);
            Tensor got3 = s.zeros(dt, os), gotArg3 = s.zeros(dt, os);
            CPU.maxPool2d(x, spec, got3, gotArg3);
            assertClose(want, got3, 0, 0);
            assertClose(wantArg, gotArg3, 0, 0);

            Tensor gOut = random(s, dt, 5, os);
            Tensor wantGx = s.zeros(dt, x.shape()), gx = s.full(dt, Double.NaN, x.shape());
            REF.maxPool2dBackward(gOut, wantArg, wantGx);
            CPU.maxPool2dBackward(gOut, wantArg, gx);
            assertClose(wantGx, gx, TestTensors.rtol(dt), TestTensors.rtol(dt));
            Tensor sgx = strided(s, s.full(dt, Double.NaN, x.shape()));
            CPU.maxPool2dBackward(strided(s, gOut), strided(s, wantArg), sgx);
            assertClose(wantGx, sgx, TestTensors.rtol(dt), TestTensors.rtol(dt));
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void avgPoolMatchesReference(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Pool2dSpec spec = spec(c);
            Tensor x = random(s, dt, 3, c[0], c[1], c[2], c[3]);
            int[] os = outShape(c, spec);
            Tensor want = s.zeros(dt, os), got = s.full(dt, Double.NaN, os);
            REF.avgPool2d(x, spec, want);
            CPU.avgPool2d(x, spec, got);
            double tol = TestTensors.rtol(dt);
            assertClose(want, got, tol, tol);
            Tensor sgot = strided(s, s.zeros(dt, os));
            CPU.avgPool2d(strided(s, x), spec, sgot);
            assertClose(want, sgot, tol, tol);

            Tensor gOut = random(s, dt, 5, os);
            Tensor wantGx = s.zeros(dt, x.shape()), gx = s.full(dt, Double.NaN, x.shape());
            REF.avgPool2dBackward(gOut, spec, wantGx);
            CPU.avgPool2dBackward(gOut, spec, gx);
            assertClose(wantGx, gx, tol, tol);
            Tensor sgx = strided(s, s.full(dt, Double.NaN, x.shape()));
            CPU.avgPool2dBackward(strided(s, gOut), spec, sgx);
            assertClose(wantGx, sgx, tol, tol);
        }
    }

    @Test
    void handCheckedPoolingWithTiesAndPadding() {
        try (Scope s = Scope.open()) {
            Tensor x = s.of(DType.F32, new double[] {
                1, 3, 3, 0,
                2, 3, 1, 4,
                5, 5, 0, 0,
                5, 1, 0, -1}, 1, 1, 4, 4);
            Pool2dSpec two = Pool2dSpec.of(2);
            for (Backend b : new Backend[] {REF, CPU}) {
                Tensor out = s.zeros(DType.F32, 1, 1, 2, 2), arg = s.zeros(DType.F32, 1, 1, 2, 2);
                b.maxPool2d(x, two, out, arg);
                assertArrayEquals(new double[] {3, 4, 5, 0}, out.toDoubleArray(), b.name());
                // Ties: the first maximum in row-major window order wins (index h·W + w).
                assertArrayEquals(new double[] {1, 7, 8, 10}, arg.toDoubleArray(), b.name());
                Tensor gx = s.zeros(DType.F32, 1, 1, 4, 4);
                b.maxPool2dBackward(s.of(DType.F32, new double[] {1, 2, 3, 4}, 1, 1, 2, 2), arg, gx);
                assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 0, 2, 3, 0, 4, 0, 0, 0, 0, 0}, gx.toDoubleArray(),
                        b.name());
                // 3×3 average, stride 2, padding 1: padded zeros count, so the corner window is (1+3+2+3)/9.
                Tensor avg = s.zeros(DType.F32, 1, 1, 2, 2);
                b.avgPool2d(x, new Pool2dSpec(3, 3, 2, 2, 1, 1), avg);
                assertArrayEquals(new double[] {1, 14 / 9.0, 21 / 9.0, 13 / 9.0}, avg.toDoubleArray(), 1e-6, b.name());
            }
        }
    }

    /** NaN propagates and the last NaN of a window is its argmax; a window of −∞ picks its first cell. */
    @ParameterizedTest
    @MethodSource("geometries")
    void maxPoolNaNAndInfinities(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Pool2dSpec spec = spec(c);
            Tensor x = integers(s, dt, c[0], c[1], c[2], c[3]);
            SplittableRandom rng = new SplittableRandom(23);
            for (long i = 0; i < x.numel(); i++) {
                int r = rng.nextInt(6);
                x.setFlat(i, r == 0 ? Double.NaN : r == 1 ? Double.NEGATIVE_INFINITY : r == 2 ? -0.0 : x.getFlat(i));
            }
            int[] os = outShape(c, spec);
            Tensor want = s.zeros(dt, os), wantArg = s.zeros(dt, os), got = s.zeros(dt, os), gotArg = s.zeros(dt, os);
            REF.maxPool2d(x, spec, want, wantArg);
            CPU.maxPool2d(x, spec, got, gotArg);
            assertClose(want, got, 0, 0);
            assertClose(wantArg, gotArg, 0, 0);
        }
    }

    /** Reference gradients of Σ pool(x) ⊙ r by central differences (distinct values: no ties at the argmax). */
    @Test
    void referenceGradientsMatchFiniteDifferences() {
        try (Scope s = Scope.open()) {
            Pool2dSpec spec = new Pool2dSpec(3, 2, 2, 1, 1, 1);
            Tensor x = random(s, DType.F64, 13, 2, 2, 5, 4);
            int[] os = {2, 2, spec.outH(5), spec.outW(4)};
            Tensor r = random(s, DType.F64, 14, os), out = s.zeros(DType.F64, os), arg = s.zeros(DType.F64, os);
            Tensor gx = s.zeros(DType.F64, x.shape());
            REF.avgPool2dBackward(r, spec, gx);
            FiniteDifferences.check("avg gx", x, gx, () -> {
                REF.avgPool2d(x, spec, out);
                return FiniteDifferences.dot(out, r);
            }, 1e-6, 1e-8);
            REF.maxPool2d(x, spec, out, arg);
            REF.maxPool2dBackward(r, arg, gx);
            FiniteDifferences.check("max gx", x, gx, () -> {
                REF.maxPool2d(x, spec, out, null);
                return FiniteDifferences.dot(out, r);
            }, 1e-7, 1e-7);
        }
    }

    @Test
    void emptyAndBadInputs() {
        try (Scope s = Scope.open()) {
            Tensor x0 = s.zeros(DType.F32, 0, 3, 5, 5), out0 = s.zeros(DType.F32, 0, 3, 2, 2);
            CPU.maxPool2d(x0, Pool2dSpec.of(2), out0, out0);
            CPU.avgPool2dBackward(out0, Pool2dSpec.of(2), x0);
            Tensor x = s.zeros(DType.F32, 1, 2, 4, 4), out = s.zeros(DType.F32, 1, 2, 2, 2);
            for (Backend b : new Backend[] {REF, CPU}) {
                Tensor bad = s.full(DType.F32, 16, 1, 2, 2, 2);
                var e = assertThrows(IllegalArgumentException.class, () -> b.maxPool2dBackward(out, bad, x));
                assertTrue(e.getMessage().startsWith("maxPool2dBackward: argmax 16"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> b.avgPool2d(x, Pool2dSpec.of(3), out));
                assertTrue(e.getMessage().startsWith("avgPool2d: out must have shape [1, 2, 1, 1]"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> b.avgPool2d(x, Pool2dSpec.of(5), out));
                assertTrue(e.getMessage().contains("kernel 5x5 does not fit x [1, 2, 4, 4]"), e.getMessage());
                Tensor out64 = s.zeros(DType.F64, 1, 2, 2, 2);
                e = assertThrows(IllegalArgumentException.class, () -> b.maxPool2d(x, Pool2dSpec.of(2), out64, null));
                assertTrue(e.getMessage().startsWith("maxPool2d: mixed dtypes"), e.getMessage());
            }
        }
    }

    private static Pool2dSpec spec(int[] c) {
        return new Pool2dSpec(c[4], c[4], c[5], c[5], c[6], c[6]);
    }

    private static int[] outShape(int[] c, Pool2dSpec spec) {
        return new int[] {c[0], c[1], spec.outH(c[2]), spec.outW(c[3])};
    }

    private static Tensor integers(Scope s, DType dt, int... shape) {
        SplittableRandom rng = new SplittableRandom(17);
        Tensor t = s.zeros(dt, shape);
        for (long i = 0; i < t.numel(); i++) {
            t.setFlat(i, rng.nextInt(-2, 3));
        }
        return t;
    }
}
