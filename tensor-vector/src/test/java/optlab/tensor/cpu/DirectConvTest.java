package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;
import static optlab.tensor.TestTensors.random;
import static optlab.tensor.TestTensors.strided;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.internal.ConvGeometry;
import optlab.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct kernels (called whatever {@link DirectConv#suits} says) against the reference
 * loops: awkward channel counts (not multiples of the 4-plane blocks), odd and tiny maps whose flat
 * length is not a multiple of the vector blocks, every padding up to kernel − 1, strides 1 to 3 (phase
 * planes), strided views.
 */
class DirectConvTest {
    private static final CpuBackend CPU = new CpuBackend(2);
    private static final Backend REF = new ReferenceBackend();

    @AfterAll
    static void close() {
        CPU.close();
    }

    /** N, C, O, H, W, kh, kw, padH, padW, stride. */
    static Stream<Arguments> geometries() {
        return cases().flatMap(c -> Stream.of(false, true).map(lanes -> Arguments.of(c.get()[0], c.get()[1], lanes)));
    }

    static Stream<Arguments> cases() {
        int[][] cases = {
            {1, 1, 1, 1, 1, 1, 1, 0, 0},
            {3, 3, 5, 5, 7, 3, 3, 1, 1},
            {1, 17, 3, 9, 11, 3, 3, 1, 1},
            {3, 2, 33, 16, 17, 3, 3, 1, 1},
            {1, 3, 17, 33, 31, 3, 3, 0, 2},
            {3, 5, 6, 7, 1, 1, 3, 0, 1},    // W = 1, padded on both sides
            {1, 3, 2, 1, 7, 3, 3, 2, 1},    // H = 1 with padding 2 = k − 1
            {3, 4, 4, 6, 13, 2, 3, 1, 0},   // non-square kernel
            {1, 2, 3, 11, 9, 5, 5, 4, 3},
            {3, 1, 5, 127, 3, 3, 3, 1, 1},  // tall: many flat positions
            {1, 16, 16, 32, 32, 3, 3, 1, 1}, // a ResNet stage
            {3, 3, 5, 17, 17, 3, 3, 1, 1, 2},  // stride 2: four phase planes, odd sizes
            {1, 16, 32, 32, 32, 3, 3, 1, 1, 2}, // the ResNet's downsampling conv
            {3, 5, 3, 9, 8, 1, 1, 0, 0, 2},    // 1×1 shortcut
            {1, 2, 17, 7, 11, 2, 3, 1, 2, 2},  // non-square, padding > stride
            {3, 1, 4, 13, 10, 5, 5, 2, 3, 3},  // stride 3
            {2, 3, 4, 8, 9, 3, 3, 1, 1, 2},    // even H: a phase row no gOut row reaches
            {2, 3, 4, 9, 9, 2, 2, 0, 0, 3},    // kernel below stride: a phase no tap reaches
            {1, 3, 2, 5, 6, 3, 2, 0, 1, 2},
            {19, 3, 5, 6, 5, 3, 3, 1, 1},     // several lane groups of images, the last partial
            {33, 2, 6, 4, 4, 3, 3, 1, 1, 2},
        };
        return Stream.of(cases).flatMap(c -> Stream.of(DType.F32, DType.F64).map(d -> Arguments.of(c, d)));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesReference(int[] c, DType dt, boolean lanes) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            Tensor want = s.zeros(dt, k.outShape()), got = s.full(dt, Double.NaN, k.outShape());
            REF.conv2d(k.x, k.w, k.bias, k.spec, want);
            DirectConv.forward(CPU, k.x, k.w, k.bias, k.geometry(got), got, lanes);
            double atol = tol(dt) * Math.sqrt(k.w.numel() / k.w.dim(0));
            assertClose(want, got, tol(dt), atol);
            Tensor out = strided(s, s.full(dt, Double.NaN, k.outShape()));
            DirectConv.forward(CPU, strided(s, k.x), strided(s, k.w), strided(s, k.bias), k.geometry(out), out, lanes);
            assertClose(want, out, tol(dt), atol);
            REF.conv2d(k.x, k.w, null, k.spec, want);
            DirectConv.forward(CPU, k.x, k.w, null, k.geometry(got), got, lanes);
            assertClose(want, got, tol(dt), atol);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardInputMatchesReference(int[] c, DType dt, boolean lanes) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            Tensor gOut = random(s, dt, 7, k.outShape());
            Tensor want = s.zeros(dt, k.x.shape()), got = s.full(dt, Double.NaN, k.x.shape());
            REF.conv2dBackwardInput(gOut, k.w, k.spec, want);
            ConvGeometry g = ConvGeometry.backwardInput(gOut, k.w, k.spec, got);
            if (!DirectConv.phasesFit(g)) {
                return;
            }
            DirectConv.backwardInput(CPU, gOut, k.w, g, got, lanes);
            double atol = tol(dt) * Math.sqrt(k.w.numel());
            assertClose(want, got, tol(dt), atol);
            Tensor gx = strided(s, s.full(dt, Double.NaN, k.x.shape()));
            DirectConv.backwardInput(CPU, strided(s, gOut), strided(s, k.w), g, gx, lanes);
            assertClose(want, gx, tol(dt), atol);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardWeightMatchesReference(int[] c, DType dt, boolean lanes) {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, c, dt);
            Tensor gOut = random(s, dt, 7, k.outShape());
            Tensor wantW = s.zeros(dt, k.w.shape()), wantB = s.zeros(dt, k.w.dim(0));
            Tensor gotW = s.full(dt, Double.NaN, k.w.shape()), gotB = s.full(dt, Double.NaN, k.w.dim(0));
            REF.conv2dBackwardWeight(gOut, k.x, k.spec, wantW, wantB);
            ConvGeometry g = ConvGeometry.backwardWeight(gOut, k.x, k.spec, gotW, gotB);
            DirectConv.backwardWeight(CPU, gOut, k.x, g, gotW, gotB, lanes);
            double atol = tol(dt) * Math.sqrt(gOut.numel() / gOut.dim(1));
            assertClose(wantW, gotW, tol(dt), atol);
            assertClose(wantB, gotB, tol(dt), atol);
            Tensor gw = strided(s, s.full(dt, Double.NaN, k.w.shape()));
            DirectConv.backwardWeight(CPU, strided(s, gOut), strided(s, k.x), g, gw, null, lanes);
            assertClose(wantW, gw, tol(dt), atol);
        }
    }

    /** Infinite inputs stay where they belong: the junk columns of the flat layout never reach a result. */
    @Test
    void junkColumnsDoNotLeak() {
        try (Scope s = Scope.open()) {
            Case k = new Case(s, new int[] {2, 3, 4, 9, 10, 3, 3, 1, 1}, DType.F32);
            // A huge but finite input column at the right edge: junk positions read it shifted.
            for (int n = 0; n < 2; n++) {
                for (int ch = 0; ch < 3; ch++) {
                    for (int r = 0; r < 9; r++) {
                        k.x.set(1e30, n, ch, r, 9);
                    }
                }
            }
            Tensor gOut = random(s, DType.F32, 7, k.outShape());
            Tensor want = s.zeros(DType.F32, k.w.shape()), got = s.zeros(DType.F32, k.w.shape());
            REF.conv2dBackwardWeight(gOut, k.x, k.spec, want, null);
            for (boolean lanes : new boolean[] {false, true}) {
                DirectConv.backwardWeight(CPU, gOut, k.x, ConvGeometry.backwardWeight(gOut, k.x, k.spec, got, null), got,
                        null, lanes);
                // Taps that never see column 9 (j = 0) must stay O(1): a leak would add ~1e30 there.
                assertClose(want, got, 1e-4, 1e-3);
            }
        }
    }

    @Test
    void routing() {
        if (!DirectConv.suits(new ConvGeometry(1, 1, 16, 16, 1, 3, 3, 1, 1, 1, 1, 16, 16))) {
            return; // turned off by -Doptlab.conv=im2col
        }
        ConvGeometry resnet = new ConvGeometry(128, 16, 32, 32, 16, 3, 3, 1, 1, 1, 1, 32, 32);
        assertTrue(DirectConv.suits(resnet) && DirectConv.suitsBackwardInput(resnet)
                && DirectConv.suitsBackwardWeight(resnet));
        ConvGeometry strided = new ConvGeometry(128, 16, 32, 32, 32, 3, 3, 2, 2, 1, 1, 16, 16);
        assertTrue(DirectConv.suits(strided) && DirectConv.suitsBackwardWeight(strided));
        assertTrue(DirectConv.suitsBackwardInput(strided), "stride 2 backward input by phases");
        ConvGeometry wide = new ConvGeometry(1, 2, 8, 8, 3, 3, 3, 1, 1, 3, 3, 12, 12);
        assertTrue(DirectConv.suits(wide));
        assertFalse(DirectConv.suitsBackwardInput(wide), "padding beyond kernel − 1");
        assertFalse(DirectConv.suits(new ConvGeometry(128, 16, 32, 32, 32, 1, 1, 2, 2, 0, 0, 16, 16)), "1×1");
        assertTrue(DirectConv.suits(new ConvGeometry(128, 128, 4, 4, 128, 3, 3, 1, 1, 1, 1, 4, 4)), "4×4 map, lanes");
        assertFalse(DirectConv.suits(new ConvGeometry(128, 128, 2, 2, 128, 3, 3, 1, 1, 1, 1, 2, 2)), "2×2 map");
        assertFalse(DirectConv.suits(new ConvGeometry(128, 256, 4, 4, 256, 3, 3, 1, 1, 1, 1, 4, 4)), "256 channels");
    }

    private static double tol(DType dt) {
        return TestTensors.rtol(dt) * (dt == DType.F32 ? 2 : 1);
    }

    private static final class Case {
        final Tensor x, w, bias;
        final Conv2dSpec spec;

        Case(Scope s, int[] c, DType dt) {
            x = random(s, dt, 1, c[0], c[1], c[3], c[4]);
            w = random(s, dt, 2, c[2], c[1], c[5], c[6]);
            bias = random(s, dt, 3, c[2]);
            spec = new Conv2dSpec(stride(c), stride(c), c[7], c[8]);
        }

        static int stride(int[] c) {
            return c.length > 9 ? c[9] : 1;
        }

        int[] outShape() {
            return new int[] {x.dim(0), w.dim(0), Conv2dSpec.outSize(x.dim(2), w.dim(2), spec.strideH(), spec.padH()),
                Conv2dSpec.outSize(x.dim(3), w.dim(3), spec.strideW(), spec.padW())};
        }

        ConvGeometry geometry(Tensor out) {
            return ConvGeometry.forward(x, w, bias, spec, out);
        }
    }
}
