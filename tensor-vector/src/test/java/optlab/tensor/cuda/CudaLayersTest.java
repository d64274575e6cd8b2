package optlab.tensor.cuda;

import static optlab.tensor.TestTensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CUDA backend's layer kernels (convolution by im2col/col2im and GEMM, pooling, batch normalization, the
 * distance layer), through the stand-in that runs the same kernels.cu, against the reference backend: awkward sizes,
 * strides and padding, strided views, F32 and F64, operands on the host (staged) and on the device. Tolerances: the
 * reference sums in double; the kernels too, except convolution, whose GEMM sums in the dtype on a real GPU (the
 * stand-in's in double), so F32 gets 1e-4 relative and absolute, F64 1e-10.
 */
class CudaLayersTest extends StandInBackendTest {

    static double tol(DType d) {
        return d == DType.F32 ? 1e-4 : 1e-10;
    }

    /**
     * Runs {@code op} on the reference over {@code args} and on CUDA over copies (on the device, or host copies of the
     * outputs), the last {@code outputs} args being outputs (null allowed), and compares every output.
     */
    void compare(boolean device, int outputs, DType d, Consumer<Tensor[]> refOp, Consumer<Tensor[]> cudaOp, Tensor... args) {
        Tensor[] mine = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            if (args[i] != null) {
                boolean output = i >= args.length - outputs;
                mine[i] = device ? cuda.place(args[i], scope) : output ? scope.copyOf(args[i]) : args[i];
            }
        }
        refOp.accept(args);
        cudaOp.accept(mine);
        for (int i = args.length - outputs; i < args.length; i++) {
            if (args[i] != null) {
                assertClose(args[i], cuda.toHost(mine[i], scope), tol(d), tol(d));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void convolutionForwardAndBackward(DType d) {
        int[][] cases = { // N, C, H, W, O, kh, kw, strideH, strideW, padH, padW
            {3, 2, 7, 5, 4, 3, 2, 2, 1, 1, 0}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, {2, 3, 6, 6, 5, 3, 3, 1, 1, 1, 1},
            {4, 1, 9, 4, 2, 4, 3, 3, 2, 2, 1}, {0, 2, 5, 5, 3, 3, 3, 1, 1, 0, 0}};
        for (boolean device : new boolean[] {false, true}) {
            for (long limit : new long[] {DeviceConv.COLS_LIMIT, 30}) { // 30: one sample per chunk
                cuda.conv().colsLimit = limit;
                try {
                    for (int[] k : cases) {
                        Conv2dSpec spec = new Conv2dSpec(k[7], k[8], k[9], k[10]);
                        int ho = Conv2dSpec.outSize(k[2], k[5], k[7], k[9]), wo = Conv2dSpec.outSize(k[3], k[6], k[8], k[10]);
                        Tensor x = TestTensors.strided(scope, random(d, 1, k[0], k[1], k[2], k[3]));
                        Tensor w = random(d, 2, k[4], k[1], k[5], k[6]), b = random(d, 3, k[4]);
                        Tensor g = random(d, 4, k[0], k[4], ho, wo);
                        compare(device, 1, d, t -> REF.conv2d(t[0], t[1], t[2], spec, t[3]),
                                t -> cuda.conv2d(t[0], t[1], t[2], spec, t[3]), x, w, b, scope.zeros(d, k[0], k[4], ho, wo));
                        compare(device, 1, d, t -> REF.conv2d(t[0], t[1], null, spec, t[2]),
                                t -> cuda.conv2d(t[0], t[1], null, spec, t[2]), x, w, scope.zeros(d, k[0], k[4], ho, wo));
                        compare(device, 1, d, t -> REF.conv2dBackwardInput(t[0], t[1], spec, t[2]),
                                t -> cuda.conv2dBackwardInput(t[0], t[1], spec, t[2]), g, w.permute(0, 1, 3, 2).permute(0, 1, 3, 2),
                                scope.full(d, Double.NaN, k[0], k[1], k[2], k[3]));
                        compare(device, 2, d, t -> REF.conv2dBackwardWeight(t[0], t[1], spec, t[2], t[3]),
                                t -> cuda.conv2dBackwardWeight(t[0], t[1], spec, t[2], t[3]), g, x,
                                scope.full(d, Double.NaN, k[4], k[1], k[5], k[6]), scope.full(d, Double.NaN, k[4]));
                    }
                } finally {
                    cuda.conv().colsLimit = DeviceConv.COLS_LIMIT;
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void poolingForwardAndBackward(DType d) {
        Pool2dSpec[] specs = {Pool2dSpec.of(2), new Pool2dSpec(3, 2, 2, 1, 1, 1), new Pool2dSpec(3, 3, 1, 1, 1, 0),
            new Pool2dSpec(1, 1, 1, 1, 0, 0)};
        for (boolean device : new boolean[] {false, true}) {
            for (Pool2dSpec spec : specs) {
                int n = 3, c = 2, h = 7, w = 5, ho = spec.outH(h), wo = spec.outW(w);
                Tensor x = TestTensors.strided(scope, random(d, 5, n, c, h, w));
                compare(device, 2, d, t -> REF.maxPool2d(t[0], spec, t[1], t[2]), t -> cuda.maxPool2d(t[0], spec, t[1], t[2]),
                        x, scope.zeros(d, n, c, ho, wo), scope.zeros(d, n, c, ho, wo));
                Tensor arg = scope.zeros(d, n, c, ho, wo);
                REF.maxPool2d(x, spec, scope.zeros(d, n, c, ho, wo), arg);
                Tensor g = random(d, 6, n, c, ho, wo);
                compare(device, 1, d, t -> REF.maxPool2dBackward(t[0], t[1], t[2]), t -> cuda.maxPool2dBackward(t[0], t[1], t[2]),
                        g, arg, scope.full(d, Double.NaN, n, c, h, w));
                compare(device, 1, d, t -> REF.avgPool2d(t[0], spec, t[1]), t -> cuda.avgPool2d(t[0], spec, t[1]),
                        x, scope.zeros(d, n, c, ho, wo));
                compare(device, 1, d, t -> REF.avgPool2dBackward(t[0], spec, t[1]), t -> cuda.avgPool2dBackward(t[0], spec, t[1]),
                        g, scope.full(d, Double.NaN, n, c, h, w));
            }
        }
    }

    @Test
    void aMaxPoolArgmaxThatIsNoPositionIsNamed() {
        Tensor g = random(DType.F32, 1, 1, 1, 2, 2), arg = scope.full(DType.F32, 3, 1, 1, 2, 2);
        arg.set(99, 0, 0, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cuda.maxPool2dBackward(g, arg, scope.zeros(DType.F32, 1, 1, 4, 4)));
        assertTrue(e.getMessage().contains("not a position in a 4x4 plane"), e.getMessage());
    }

    /**
     * Also on the split path (as the reductions': partials per channel share, an ordered combine, then one thread per
     * element): forced with one or three elements per share, and taken by the default rule for 16·9·11 per channel.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormForwardAndBackward(DType d) {
        int[][] shapes = {{5, 3, 4, 2}, {7, 4}, {2, 1, 3}, {1, 2, 1, 1}, {16, 3, 9, 11}};
        for (long minShare : new long[] {DeviceReduce.MIN_SHARE, 1, 3}) {
            cuda.reductions().minShare = minShare;
            try {
                for (boolean device : new boolean[] {false, true}) {
                    for (int[] s : shapes) {
                        batchNormCase(d, device, s);
                    }
                }
            } finally {
                cuda.reductions().minShare = DeviceReduce.MIN_SHARE;
            }
        }
    }

    private void batchNormCase(DType d, boolean device, int[] s) {
        int c = s[1];
        Tensor x = TestTensors.strided(scope, random(d, 7, s)), gamma = random(d, 8, c), beta = random(d, 9, c);
        compare(device, 3, d, t -> REF.batchNorm(t[0], t[1], t[2], 1e-5, t[3], t[4], t[5]),
                t -> cuda.batchNorm(t[0], t[1], t[2], 1e-5, t[3], t[4], t[5]), x, gamma, beta, scope.zeros(d, s),
                scope.zeros(d, c), scope.zeros(d, c));
        compare(device, 3, d, t -> REF.batchNorm(t[0], null, null, 0.1, t[1], t[2], t[3]),
                t -> cuda.batchNorm(t[0], null, null, 0.1, t[1], t[2], t[3]), x, scope.zeros(d, s), scope.zeros(d, c),
                scope.zeros(d, c));
        Tensor mean = scope.zeros(d, c), var = scope.zeros(d, c);
        REF.batchNorm(x, gamma, beta, 1e-5, scope.zeros(d, s), mean, var);
        Tensor g = random(d, 10, s);
        compare(device, 3, d, t -> REF.batchNormBackward(t[0], t[1], t[2], t[3], t[4], 1e-5, t[5], t[6], t[7]),
                t -> cuda.batchNormBackward(t[0], t[1], t[2], t[3], t[4], 1e-5, t[5], t[6], t[7]), g, x, mean, var,
                gamma, scope.full(d, Double.NaN, s), scope.full(d, Double.NaN, c), scope.full(d, Double.NaN, c));
        compare(device, 2, d, t -> REF.batchNormBackward(t[0], t[1], t[2], t[3], null, 1e-5, null, t[4], t[5]),
                t -> cuda.batchNormBackward(t[0], t[1], t[2], t[3], null, 1e-5, null, t[4], t[5]), g, x, mean, var,
                scope.full(d, Double.NaN, c), null);
    }

    @Test
    void aSplitBatchNormLaunchesPartialsCombineAndApply() {
        Tensor x = cuda.place(random(DType.F32, 1, 16, 3, 9, 11), scope), out = cuda.empty(scope, DType.F32, 16, 3, 9, 11);
        Tensor mean = cuda.empty(scope, DType.F32, 3), var = cuda.empty(scope, DType.F32, 3);
        assertTrue(cuda.reductions().parts(16 * 9 * 11, 3) > 1, "the default rule splits 1584 elements per channel");
        long before = CudaStandIn.launches();
        cuda.batchNorm(x, null, null, 1e-5, out, mean, var);
        cuda.batchNormBackward(out, x, mean, var, null, 1e-5, null, mean, var); // sums only: no per-element launch
        assertEquals(before + 5, CudaStandIn.launches());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void distanceLayerForwardAndBackward(DType d) {
        int[][] sizes = {{5, 7, 3}, {1, 1, 1}, {9, 2, 17}, {3, 4, 0}};
        for (boolean device : new boolean[] {false, true}) {
            for (int[] s : sizes) {
                int n = s[0], m = s[1], dim = s[2];
                Tensor x = TestTensors.strided(scope, random(d, 11, n, dim)), c = random(d, 12, m, dim);
                Tensor w = random(d, 13, m, dim), g = random(d, 14, n, m);
                compare(device, 1, d, t -> REF.pairwiseSqDist(t[0], t[1], t[2], t[3]),
                        t -> cuda.pairwiseSqDist(t[0], t[1], t[2], t[3]), x, c, w, scope.zeros(d, n, m));
                compare(device, 1, d, t -> REF.pairwiseSqDist(t[0], t[1], null, t[2]),
                        t -> cuda.pairwiseSqDist(t[0], t[1], null, t[2]), x, c, scope.zeros(d, n, m));
                compare(device, 3, d, t -> REF.pairwiseSqDistBackward(t[0], t[1], t[2], t[3], t[4], t[5], t[6]),
                        t -> cuda.pairwiseSqDistBackward(t[0], t[1], t[2], t[3], t[4], t[5], t[6]), g, x, c, w,
                        scope.full(d, Double.NaN, n, dim), scope.full(d, Double.NaN, m, dim), scope.full(d, Double.NaN, m, dim));
                compare(device, 2, d, t -> REF.pairwiseSqDistBackward(t[0], t[1], t[2], null, null, t[3], t[4]),
                        t -> cuda.pairwiseSqDistBackward(t[0], t[1], t[2], null, null, t[3], t[4]), g, x, c,
                        scope.full(d, Double.NaN, m, dim), null);
            }
        }
    }
}
