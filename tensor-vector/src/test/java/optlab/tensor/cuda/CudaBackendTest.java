package optlab.tensor.cuda;

import static optlab.tensor.TestTensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CUDA backend (through the stand-in, which runs the same kernels.cu) against the reference backend on
 * awkward sizes, strided views and broadcasts, with operands on the host (staged) and on the device.
 */
class CudaBackendTest extends StandInBackendTest {
    @ParameterizedTest
    @EnumSource(Place.class)
    void gemmAllTransposesBatchesAndAwkwardSizes(Place place) {
        int[][] mnk = {{1, 1, 1}, {3, 5, 7}, {17, 9, 33}, {2, 31, 1}, {0, 3, 2}, {4, 3, 0}};
        for (DType d : DType.values()) {
            for (int[] s : mnk) {
                int m = s[0], n = s[1], k = s[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    Tensor a = ta ? random(d, 1, k, m).mT() : random(d, 1, m, k);
                    Tensor b = tb ? random(d, 2, n, k).mT() : random(d, 2, k, n);
                    Tensor c = random(d, 3, m, n);
                    compare(place, 1, rtol(d), x -> REF.gemm(0.5, x[0], x[1], -2, x[2]), x -> cuda.gemm(0.5, x[0], x[1], -2, x[2]),
                            a, b, c);
                }
            }
            // Batched with a broadcast operand, a strided (non-row-major) output and beta = 0 over NaN.
            Tensor a = random(d, 4, 3, 1, 5, 6), b = random(d, 5, 2, 6, 4);
            Tensor c = scope.full(d, Double.NaN, 3, 2, 5, 4);
            compare(place, 1, rtol(d), x -> REF.gemm(1, x[0], x[1], 0, x[2]), x -> cuda.gemm(1, x[0], x[1], 0, x[2]), a, b, c);
            Tensor ct = random(d, 6, 4, 5).mT();
            compare(place, 1, rtol(d), x -> REF.gemm(1, x[0], x[1], 1, x[2]), x -> cuda.gemm(1, x[0], x[1], 1, x[2]),
                    random(d, 7, 5, 3), TestTensors.strided(scope, random(d, 8, 3, 4)), ct);
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryOnStridedAndBroadcastViews(UnaryOp op) {
        for (DType d : DType.values()) {
            for (int n : TestTensors.AWKWARD) {
                Tensor x = scope.uniform(d, new SplittableRandom(n), op == UnaryOp.LOG || op == UnaryOp.SQRT ? 0.1 : -3, 3, 2, n);
                compare(Place.HOST, 1, rtol(d) * 4, t -> REF.unary(op, t[0], t[1]), t -> cuda.unary(op, t[0], t[1]),
                        TestTensors.strided(scope, x), scope.zeros(d, 2, n));
            }
            compare(Place.DEVICE, 1, rtol(d) * 4, t -> REF.unary(op, t[0], t[1]), t -> cuda.unary(op, t[0], t[1]),
                    scope.uniform(d, new SplittableRandom(9), 0.1, 2, 1, 65), scope.zeros(d, 3, 65));
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryWithBroadcastingAndInPlace(BinaryOp op) {
        for (DType d : DType.values()) {
            for (Place place : Place.values()) {
                Tensor a = scope.uniform(d, new SplittableRandom(1), 0.5, 2, 7, 33);
                Tensor b = scope.uniform(d, new SplittableRandom(2), 0.5, 2, 1, 33);
                compare(place, 1, rtol(d) * 4, t -> REF.binary(op, t[0], t[1], t[2]), t -> cuda.binary(op, t[0], t[1], t[2]),
                        a, b, scope.zeros(d, 7, 33));
                compare(place, 1, rtol(d) * 4, t -> REF.scalar(op, t[0], 1.7, t[1]), t -> cuda.scalar(op, t[0], 1.7, t[1]),
                        TestTensors.strided(scope, a), scope.zeros(d, 7, 33));
            }
            // In place: out is exactly a (x += y).
            Tensor a = random(d, 3, 5, 17), b = random(d, 4, 17);
            compare(Place.HOST, 1, rtol(d) * 4, t -> REF.binary(op, t[1], t[0], t[1]), t -> cuda.binary(op, t[1], t[0], t[1]), b, a);
        }
    }

    @Test
    void clampWhereCopyFill() {
        for (DType d : DType.values()) {
            for (Place place : Place.values()) {
                Tensor x = random(d, 1, 4, 31);
                compare(place, 1, 0, t -> REF.clamp(t[0], -0.3, 0.4, t[1]), t -> cuda.clamp(t[0], -0.3, 0.4, t[1]), x, scope.zeros(d, 4, 31));
                Tensor mask = scope.of(d, new double[] {0, 1, Double.NaN}, 3, 1);
                compare(place, 1, 0, t -> REF.where(t[0], t[1], t[2], t[3]), t -> cuda.where(t[0], t[1], t[2], t[3]),
                        mask, random(d, 2, 1, 9), random(d, 3, 3, 9), scope.zeros(d, 3, 9));
                compare(place, 1, 0, t -> REF.copy(t[0], t[1]), t -> cuda.copy(t[0], t[1]), random(d, 4, 5, 1).mT(),
                        scope.zeros(d, 3, 5, 5).permute(0, 2, 1));
                compare(place, 1, 0, t -> REF.fill(t[0], 0.1), t -> cuda.fill(t[0], 0.1), TestTensors.strided(scope, random(d, 5, 3, 7)));
            }
        }
    }

    @Test
    void reductionsArgmaxAndMoments() {
        int[][] outs = {{1, 1, 1}, {3, 1, 1}, {1, 5, 1}, {1, 1, 17}, {3, 1, 17}, {3, 5, 17}};
        for (DType d : DType.values()) {
            for (Place place : Place.values()) {
                Tensor x = TestTensors.strided(scope, random(d, 1, 3, 5, 17));
                for (int[] o : outs) {
                    for (ReduceOp op : ReduceOp.values()) {
                        compare(place, 1, rtol(d) * 10, t -> REF.reduce(op, t[0], t[1]), t -> cuda.reduce(op, t[0], t[1]), x,
                                scope.zeros(d, o));
                    }
                    compare(place, 2, rtol(d) * 10, t -> REF.moments(t[0], t[1], t[2], 1), t -> cuda.moments(t[0], t[1], t[2], 1), x,
                            scope.zeros(d, o), scope.zeros(d, o));
                }
                for (int axis = 0; axis < 3; axis++) {
                    int[] shape = {3, 5, 17};
                    shape[axis] = 1;
                    int ax = axis;
                    compare(place, 1, 0, t -> REF.argmax(t[0], ax, t[1]), t -> cuda.argmax(t[0], ax, t[1]), x, scope.zeros(d, shape));
                }
            }
            Tensor withNaN = scope.of(d, new double[] {1, Double.NaN, 3, 2, 5, 5}, 2, 3);
            compare(Place.HOST, 1, 0, t -> REF.argmax(t[0], 1, t[1]), t -> cuda.argmax(t[0], 1, t[1]), withNaN, scope.zeros(d, 2, 1));
            compare(Place.HOST, 1, 0, t -> REF.reduce(ReduceOp.MAX, t[0], t[1]), t -> cuda.reduce(ReduceOp.MAX, t[0], t[1]), withNaN,
                    scope.zeros(d, 2, 1));
        }
    }

    @Test
    void softmaxLossesAndTheirGradients() {
        for (DType d : DType.values()) {
            for (Place place : Place.values()) {
                for (int axis = 0; axis < 2; axis++) {
                    int ax = axis;
                    Tensor x = TestTensors.strided(scope, scope.uniform(d, new SplittableRandom(axis), -20, 20, 7, 13));
                    compare(place, 1, rtol(d) * 10, t -> REF.softmax(t[0], ax, t[1]), t -> cuda.softmax(t[0], ax, t[1]), x, scope.zeros(d, 7, 13));
                    compare(place, 1, rtol(d) * 10, t -> REF.logSoftmax(t[0], ax, t[1]), t -> cuda.logSoftmax(t[0], ax, t[1]), x,
                            scope.zeros(d, 7, 13));
                    Tensor y = scope.zeros(d, 7, 13), gy = random(d, 5, 7, 13);
                    REF.softmax(x, ax, y);
                    compare(place, 1, rtol(d) * 10, t -> REF.softmaxBackward(t[0], t[1], ax, t[2]),
                            t -> cuda.softmaxBackward(t[0], t[1], ax, t[2]), y, gy, scope.zeros(d, 7, 13));
                    REF.logSoftmax(x, ax, y);
                    compare(place, 1, rtol(d) * 10, t -> REF.logSoftmaxBackward(t[0], t[1], ax, t[2]),
                            t -> cuda.logSoftmaxBackward(t[0], t[1], ax, t[2]), y, gy, scope.zeros(d, 7, 13));
                }
                Tensor logits = random(d, 7, 33, 10), labels = scope.of(d, labels(33, 10), 33);
                double[] loss = new double[2];
                compare(place, 1, rtol(d) * 10, t -> loss[0] = REF.crossEntropy(t[0], t[1], t[2]),
                        t -> loss[1] = cuda.crossEntropy(t[0], t[1], t[2]), logits, labels, scope.zeros(d, 33, 10));
                assertEquals(loss[0], loss[1], rtol(d) * 10 * Math.abs(loss[0]));
                Tensor probs = scope.zeros(d, 33, 10);
                REF.softmax(random(d, 8, 33, 10), 1, probs);
                compare(place, 1, rtol(d) * 10, t -> loss[0] = REF.crossEntropy(t[0], t[1], t[2]),
                        t -> loss[1] = cuda.crossEntropy(t[0], t[1], t[2]), logits, probs, scope.zeros(d, 33, 10));
                assertEquals(loss[0], loss[1], rtol(d) * 10 * Math.abs(loss[0]));
                compare(place, 1, rtol(d) * 10, t -> loss[0] = REF.mse(t[0], t[1], t[2]), t -> loss[1] = cuda.mse(t[0], t[1], t[2]),
                        random(d, 9, 5, 9), TestTensors.strided(scope, random(d, 10, 5, 9)), scope.zeros(d, 5, 9));
                assertEquals(loss[0], loss[1], rtol(d) * 10 * Math.abs(loss[0]));
            }
            Tensor bad = scope.of(d, new double[] {1, 10}, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cuda.crossEntropy(random(d, 1, 2, 10), bad, null));
            assertTrue(e.getMessage().contains("target[1] = 10.0 is not a class index"), e.getMessage());
        }
    }

    private static double[] labels(int n, int classes) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 7) % classes;
        }
        return v;
    }

    @Test
    void deviceTensorsRefuseHostAccessAndMemoryIsFreed() {
        long before = CudaStandIn.liveAllocations();
        try (CudaBackend b = CudaBackend.open()) {
            Tensor t = b.allocate(DType.F32, 4, 5);
            assertTrue(t.onDevice() && t.slice(0, 1, 3).onDevice());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.get(0, 0));
            assertTrue(e.getMessage().contains("lives in device memory"), e.getMessage());
            assertThrows(IllegalStateException.class, t::segment);
            Tensor host = scope.zeros(DType.F32, 4, 5);
            b.binary(BinaryOp.ADD, host, host, host); // staged: uses the pool
            b.allocate(DType.F64, 1000);
            b.release(t);
            assertThrows(IllegalArgumentException.class, () -> b.release(t));
        }
        assertEquals(before, CudaStandIn.liveAllocations(), "the backend frees its tensors, pool and handles on close");
        long launches = CudaStandIn.launches();
        Tensor x = random(DType.F32, 1, 8, 8), y = scope.zeros(DType.F32, 8, 8);
        cuda.unary(UnaryOp.RELU, x, y);
        assertEquals(launches + 1, CudaStandIn.launches(), "one launch per elementwise op");
    }

    @Test
    void scopedDeviceMemoryIsRecycledAndReadBackExplicitly() {
        long before = CudaStandIn.liveAllocations();
        try (CudaBackend b = CudaBackend.open()) {
            assertTrue(b.deviceMemory());
            long steady = -1;
            for (int step = 0; step < 4; step++) {
                try (Scope s = Scope.open()) { // a per-step scope: the same sizes every step
                    Tensor host = TestTensors.random(s, DType.F64, step, 3, 7);
                    Tensor dev = b.place(host, s);
                    assertTrue(dev.onDevice());
                    Tensor sum = b.empty(s, DType.F64, 1, 1);
                    b.reduce(ReduceOp.SUM, dev, sum);
                    double expected = 0;
                    for (double v : host.toDoubleArray()) {
                        expected += v;
                    }
                    assertEquals(expected, b.item(sum), 1e-12 * (1 + Math.abs(expected)));
                    Tensor back = b.toHost(dev, s);
                    assertClose(host, back, 0, 0);
                    assertTrue(b.toHost(host, s) == host && b.place(dev, s) == dev, "nothing to move");
                }
                long live = CudaStandIn.liveAllocations();
                if (step == 1) {
                    steady = live;
                } else if (step > 1) {
                    assertEquals(steady, live, "after the first steps the pool hands out the same buffers");
                }
            }
        }
        assertEquals(before, CudaStandIn.liveAllocations(), "the pool frees everything on close");
    }

    @Test
    void theGpuSuitesSelfCheckPasses() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, optlab.tensor.backend.BackendCheck.run(cuda, new java.io.PrintStream(out)), out.toString());
    }

    @Test
    void copiesBetweenDtypesConvertOnTheHost() {
        Tensor x = TestTensors.strided(scope, random(DType.F32, 1, 5, 7));
        Tensor want = scope.zeros(DType.F64, 5, 7);
        REF.copy(x, want);
        Tensor onDevice = cuda.place(scope.copyOf(x), scope), got = cuda.empty(scope, DType.F64, 5, 7);
        cuda.copy(onDevice.mT().mT(), got); // device F32 to device F64
        assertClose(want, cuda.toHost(got, scope), 0, 0);
        Tensor back = scope.zeros(DType.F32, 5, 7);
        cuda.copy(got, back); // device F64 to host F32
        assertClose(x, back, 0, 0);
    }
}
