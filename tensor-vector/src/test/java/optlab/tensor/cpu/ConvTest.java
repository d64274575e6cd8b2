package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static optlab.tensor.TestTensors.random;
import static optlab.tensor.TestTensors.strided;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** conv2d and its gradients: the im2col + GEMM kernel against the reference loops, which FD checks. */
class ConvTest {
    private static final CpuBackend CPU = new CpuBackend(2);
    private static final Backend REF = new ReferenceBackend();

    @AfterAll
    static void close() {
        CPU.close();
    }

    /** N, C, O, H, W, kh, kw, stride, padding: awkward sizes, every kernel shape, stride and padding. */
    static Stream<Arguments> geometries() {
        int[][] cases = {
            {1, 1, 1, 1, 1, 1, 1, 1, 0},   // smallest pointwise
            {3, 3, 5, 5, 7, 1, 1, 1, 0},   // pointwise, no unfolding
            {3, 3, 5, 17, 17, 1, 1, 2, 0}, // 1×1 with stride
            {1, 3, 1, 7, 1, 1, 1, 3, 1},   // 1×1 padded, W = 1
            {1, 3, 5, 7, 7, 3, 3, 1, 1},   // "same" 3×3
            {3, 1, 5, 17, 17, 3, 3, 2, 1},
            {1, 1, 1, 3, 3, 3, 3, 1, 2},   // padding wider than the image edge effects
            {1, 3, 1, 1, 7, 3, 3, 1, 1},   // H = 1
            {1, 3, 1, 5, 7, 2, 3, 1, 0},   // non-square kernel
            {3, 1, 5, 7, 17, 2, 3, 3, 2},
            {3, 3, 5, 17, 5, 5, 5, 3, 2},
            {1, 1, 5, 5, 5, 5, 5, 1, 0},   // kernel == input: one output pixel
            {3, 1, 1, 5, 5, 5, 5, 2, 0},
            {5, 17, 33, 9, 11, 3, 3, 1, 1}, // patch 153, 33 outputs: blocked GEMM paths
            {3, 2, 5, 16, 17, 3, 3, 1, 1},  // 272 output pixels: one block of columns per image
        };
        return Stream.of(cases).flatMap(c -> Stream.of(DType.F32, DType.F64).map(d -> Arguments.of(c, d)));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesReference(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            Tensor want = s.zeros(dt, k.outShape()), got = s.zeros(dt, k.outShape());
            REF.conv2d(k.x, k.w, k.bias, k.spec, want);
            CPU.conv2d(k.x, k.w, k.bias, k.spec, got);
            assertClose(want, got, tol(dt), tol(dt) * Math.sqrt(k.w.numel() / k.w.dim(0)));
            // Strided views everywhere (x, w, bias, out: the output is staged, bias added there).
            Tensor out = strided(s, s.zeros(dt, k.outShape()));
            CPU.conv2d(strided(s, k.x), strided(s, k.w), strided(s, k.bias), k.spec, out);
            assertClose(want, out, tol(dt), tol(dt) * Math.sqrt(k.w.numel() / k.w.dim(0)));
            // No bias.
            REF.conv2d(k.x, k.w, null, k.spec, want);
            CPU.conv2d(k.x, k.w, null, k.spec, got);
            assertClose(want, got, tol(dt), tol(dt) * Math.sqrt(k.w.numel() / k.w.dim(0)));
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardInputMatchesReference(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            Tensor gOut = random(s, dt, 7, k.outShape());
            Tensor want = s.zeros(dt, k.x.shape());
            Tensor got = s.full(dt, Double.NaN, k.x.shape()); // overwritten, never read
            REF.conv2dBackwardInput(gOut, k.w, k.spec, want);
            CPU.conv2dBackwardInput(gOut, k.w, k.spec, got);
            double atol = tol(dt) * Math.sqrt(k.w.numel());
            assertClose(want, got, tol(dt), atol);
            Tensor gx = strided(s, s.full(dt, Double.NaN, k.x.shape()));
            CPU.conv2dBackwardInput(strided(s, gOut), strided(s, k.w), k.spec, gx);
            assertClose(want, gx, tol(dt), atol);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardWeightMatchesReference(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            Tensor gOut = random(s, dt, 7, k.outShape());
            Tensor wantW = s.zeros(dt, k.w.shape()), wantB = s.zeros(dt, k.w.dim(0));
            Tensor gotW = s.full(dt, Double.NaN, k.w.shape()), gotB = s.full(dt, Double.NaN, k.w.dim(0));
            REF.conv2dBackwardWeight(gOut, k.x, k.spec, wantW, wantB);
            CPU.conv2dBackwardWeight(gOut, k.x, k.spec, gotW, gotB);
            double atol = tol(dt) * Math.sqrt(gOut.numel() / gOut.dim(1));
            assertClose(wantW, gotW, tol(dt), atol);
            assertClose(wantB, gotB, tol(dt), atol);
            Tensor gw = strided(s, s.full(dt, Double.NaN, k.w.shape()));
            CPU.conv2dBackwardWeight(strided(s, gOut), strided(s, k.x), k.spec, gw, null);
            assertClose(wantW, gw, tol(dt), atol);
        }
    }

    /** A columns budget below one image's worth: one image per group, gemm beta = 1 across groups. */
    @ParameterizedTest
    @MethodSource("geometries")
    void oneImagePerGroupMatchesReference(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            Tensor gOut = random(s, dt, 7, k.outShape());
            Tensor want = s.zeros(dt, k.outShape()), got = s.zeros(dt, k.outShape());
            REF.conv2d(k.x, k.w, k.bias, k.spec, want);
            CpuConv.conv2d(CPU, k.x, k.w, k.bias, k.spec, got, 1);
            assertClose(want, got, tol(dt), tol(dt) * Math.sqrt(k.w.numel()));
            Tensor wantX = s.zeros(dt, k.x.shape()), gx = s.zeros(dt, k.x.shape());
            REF.conv2dBackwardInput(gOut, k.w, k.spec, wantX);
            CpuConv.backwardInput(CPU, gOut, k.w, k.spec, gx, 1);
            assertClose(wantX, gx, tol(dt), tol(dt) * Math.sqrt(k.w.numel()));
            Tensor wantW = s.zeros(dt, k.w.shape()), wantB = s.zeros(dt, k.w.dim(0));
            Tensor gw = s.zeros(dt, k.w.shape()), gb = s.zeros(dt, k.w.dim(0));
            REF.conv2dBackwardWeight(gOut, k.x, k.spec, wantW, wantB);
            CpuConv.backwardWeight(CPU, gOut, k.x, k.spec, gw, gb, 1);
            assertClose(wantW, gw, tol(dt), tol(dt) * Math.sqrt(gOut.numel()));
            assertClose(wantB, gb, tol(dt), tol(dt) * Math.sqrt(gOut.numel()));
        }
    }

    /** Two images per group (the last group partial when N is odd): images side by side in the columns. */
    @ParameterizedTest
    @MethodSource("geometries")
    void twoImagesPerGroupMatchesReference(int[] c, DType dt) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            long budget = 2L * k.w.numel() / k.w.dim(0) * k.outShape()[2] * k.outShape()[3];
            Tensor gOut = random(s, dt, 7, k.outShape());
            Tensor want = s.zeros(dt, k.outShape()), got = strided(s, s.zeros(dt, k.outShape()));
            REF.conv2d(k.x, k.w, k.bias, k.spec, want);
            CpuConv.conv2d(CPU, strided(s, k.x), k.w, k.bias, k.spec, got, budget);
            assertClose(want, got, tol(dt), tol(dt) * Math.sqrt(k.w.numel()));
            Tensor wantX = s.zeros(dt, k.x.shape()), gx = strided(s, s.full(dt, Double.NaN, k.x.shape()));
            REF.conv2dBackwardInput(gOut, k.w, k.spec, wantX);
            CpuConv.backwardInput(CPU, strided(s, gOut), k.w, k.spec, gx, budget);
            assertClose(wantX, gx, tol(dt), tol(dt) * Math.sqrt(k.w.numel()));
            Tensor wantW = s.zeros(dt, k.w.shape()), wantB = s.zeros(dt, k.w.dim(0));
            Tensor gw = s.full(dt, Double.NaN, k.w.shape()), gb = s.full(dt, Double.NaN, k.w.dim(0));
            REF.conv2dBackwardWeight(gOut, k.x, k.spec, wantW, wantB);
            CpuConv.backwardWeight(CPU, gOut, k.x, k.spec, gw, gb, budget);
            assertClose(wantW, gw, tol(dt), tol(dt) * Math.sqrt(gOut.numel()));
            assertClose(wantB, gb, tol(dt), tol(dt) * Math.sqrt(gOut.numel()));
        }
    }

    @Test
    void referenceMatchesHandComputedConv() {
        try (Scope s = Scope.open()) {
            Tensor x = s.of(DType.F64, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
            Tensor w = s.of(DType.F64, new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
            Tensor bias = s.of(DType.F64, new double[] {0.5}, 1);
            // out[p, q] = x[p, q] + 2·x[p, q+1] + 3·x[p+1, q] + 4·x[p+1, q+1] + 0.5
            double[] expected = {37.5, 47.5, 67.5, 77.5};
            // 3×3 ones, padding 1, stride 2: sums of the 2×2 corners that stay inside the image.
            Tensor ones = s.full(DType.F64, 1, 1, 1, 3, 3);
            double[] corners = {12, 16, 24, 28};
            for (Backend b : new Backend[] {REF, CPU}) {
                Tensor out = s.zeros(DType.F64, 1, 1, 2, 2);
                b.conv2d(x, w, bias, Conv2dSpec.of(1, 0), out);
                assertArrayEquals(expected, out.toDoubleArray(), 1e-12, b.name());
                b.conv2d(x, ones, null, Conv2dSpec.of(2, 1), out);
                assertArrayEquals(corners, out.toDoubleArray(), 1e-12, b.name());
            }
        }
    }

    /** The reference gradients are ∂/∂x, ∂/∂w, ∂/∂bias of Σ conv(x, w, bias) ⊙ r, by central differences. */
    @Test
    void referenceGradientsMatchFiniteDifferences() {
        int[][] cases = {{2, 2, 3, 5, 4, 3, 3, 2, 1}, {1, 2, 2, 4, 5, 2, 3, 1, 0}};
        for (int[] c : cases) {
            try (Scope s = Scope.open()) {
                Case k = new Case(s, c, DType.F64);
                Tensor r = random(s, DType.F64, 11, k.outShape()), out = s.zeros(DType.F64, k.outShape());
                java.util.function.DoubleSupplier loss = () -> {
                    REF.conv2d(k.x, k.w, k.bias, k.spec, out);
                    return FiniteDifferences.dot(out, r);
                };
                Tensor gx = s.zeros(DType.F64, k.x.shape()), gw = s.zeros(DType.F64, k.w.shape());
                Tensor gb = s.zeros(DType.F64, k.w.dim(0));
                REF.conv2dBackwardInput(r, k.w, k.spec, gx);
                REF.conv2dBackwardWeight(r, k.x, k.spec, gw, gb);
                FiniteDifferences.check("gx", k.x, gx, loss, 1e-5, 1e-8);
                FiniteDifferences.check("gw", k.w, gw, loss, 1e-5, 1e-8);
                FiniteDifferences.check("gBias", k.bias, gb, loss, 1e-5, 1e-8);
            }
        }
    }

    @Test
    void emptyBatchAndRepeatedCallsReuseWorkspace() {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, new int[] {2, 3, 5, 7, 7, 3, 3, 1, 1}, DType.F32);
            Tensor out = s.zeros(DType.F32, k.outShape()), gx = s.zeros(DType.F32, k.x.shape());
            Tensor gw = s.zeros(DType.F32, k.w.shape());
            CPU.conv2d(k.x, k.w, k.bias, k.spec, out);
            CPU.conv2dBackwardInput(out, k.w, k.spec, gx);
            CPU.conv2dBackwardWeight(out, k.x, k.spec, gw, null);
            long held = CPU.workspace().bytes();
            for (int step = 0; step < 3; step++) {
                CPU.conv2d(k.x, k.w, k.bias, k.spec, out);
                CPU.conv2dBackwardInput(out, k.w, k.spec, gx);
                CPU.conv2dBackwardWeight(out, k.x, k.spec, gw, null);
            }
            assertEquals(held, CPU.workspace().bytes(), "workspace grew on a repeated call");

            // N = 0: outputs of backward weight are zeros, the rest has nothing to do.
            Tensor x0 = s.zeros(DType.F32, 0, 3, 5, 5), out0 = s.zeros(DType.F32, 0, 5, 5, 5);
            Tensor gb = s.full(DType.F32, 9, 5);
            gw = s.full(DType.F32, 9, k.w.shape());
            CPU.conv2d(x0, k.w, k.bias, k.spec, out0);
            CPU.conv2dBackwardInput(out0, k.w, k.spec, x0);
            CPU.conv2dBackwardWeight(out0, x0, k.spec, gw, gb);
            assertClose(s.zeros(DType.F32, k.w.shape()), gw, 0, 0);
            assertClose(s.zeros(DType.F32, 5), gb, 0, 0);
        }
    }

    @Test
    void badShapesAreNamed() {
        try (Scope s = Scope.open()) {
            Tensor x = s.zeros(DType.F32, 1, 3, 5, 5), w = s.zeros(DType.F32, 4, 2, 3, 3);
            Tensor out = s.zeros(DType.F32, 1, 4, 3, 3);
            for (Backend b : new Backend[] {REF, CPU}) {
                var e = assertThrows(IllegalArgumentException.class, () -> b.conv2d(x, w, null, Conv2dSpec.of(1, 0), out));
                assertTrue(e.getMessage().startsWith("conv2d: weights [4, 2, 3, 3]"), e.getMessage());
                Tensor w3 = s.zeros(DType.F32, 4, 3, 3, 3);
                e = assertThrows(IllegalArgumentException.class, () -> b.conv2d(x, w3, null, Conv2dSpec.of(2, 0), out));
                assertTrue(e.getMessage().contains("out must have shape [1, 4, 2, 2]"), e.getMessage());
                Tensor w7 = s.zeros(DType.F32, 4, 3, 7, 7);
                e = assertThrows(IllegalArgumentException.class, () -> b.conv2d(x, w7, null, Conv2dSpec.of(1, 0), out));
                assertTrue(e.getMessage().contains("kernel 7x7 does not fit x [1, 3, 5, 5]"), e.getMessage());
                Tensor bias = s.zeros(DType.F64, 4);
                e = assertThrows(IllegalArgumentException.class, () -> b.conv2d(x, w3, bias, Conv2dSpec.of(1, 0), out));
                assertTrue(e.getMessage().startsWith("conv2d: mixed dtypes"), e.getMessage());
                Tensor gw = s.zeros(DType.F32, 4, 3, 2, 2);
                e = assertThrows(IllegalArgumentException.class,
                        () -> b.conv2dBackwardWeight(out, x, Conv2dSpec.of(1, 0), gw, null));
                assertTrue(e.getMessage().startsWith("conv2dBackwardWeight: gOut must have shape [1, 4, 4, 4]"),
                        e.getMessage());
            }
        }
    }

    /** F32 against the double-accumulating oracle; atol grows with the square root of the summed terms. */
    private static double tol(DType dt) {
        return TestTensors.rtol(dt) * (dt == DType.F32 ? 2 : 1);
    }

    /** Random x, w, bias for one geometry row. */
    private static final class Case {
        final Tensor x, w, bias;
        final Conv2dSpec spec;

        Case(Scope s, int[] c, DType dt) {
            x = random(s, dt, 1, c[0], c[1], c[3], c[4]);
            w = random(s, dt, 2, c[2], c[1], c[5], c[6]);
            bias = random(s, dt, 3, c[2]);
            spec = Conv2dSpec.of(c[7], c[8]);
        }

        int[] outShape() {
            return new int[] {x.dim(0), w.dim(0), Conv2dSpec.outSize(x.dim(2), w.dim(2), spec.strideH(), spec.padH()),
                Conv2dSpec.outSize(x.dim(3), w.dim(3), spec.strideW(), spec.padW())};
        }
    }
}
