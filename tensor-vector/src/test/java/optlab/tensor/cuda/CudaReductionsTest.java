package optlab.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.ReduceOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The split path of the device reductions ({@link DeviceReduce}): a reduction folded by nOut·P threads into partials,
 * then combined. Small reductions are forced onto it by lowering the fewest elements per share; a long vector takes
 * it with the default rule. Every result is compared with the reference backend at the tolerances of the one-pass
 * tests, and launches are counted to show which path ran.
 */
class CudaReductionsTest extends StandInBackendTest {

    @AfterEach
    void restoreTheSplitRule() {
        cuda.reductions().minShare = DeviceReduce.MIN_SHARE;
    }

    @Test
    void thePartsDependOnlyOnCountAndOutputsAndStayWithinBounds() {
        DeviceReduce r = cuda.reductions();
        assertEquals(1, r.parts(511, 1), "fewer than two shares' worth: one thread per output");
        assertEquals(2, r.parts(512, 1));
        assertEquals(DeviceReduce.MAX_PARTS, r.parts(19_000_000, 1), "a full reduction of 19M elements");
        assertEquals(1, r.parts(1_000_000, 1L << 20), "enough outputs to fill the device: no split");
        for (long nOut : new long[] {1, 3, 17, 1000, 40_000}) {
            long p = r.parts(50_000_000, nOut);
            assertTrue(p >= 1 && p <= DeviceReduce.MAX_PARTS, nOut + " outputs: " + p + " parts");
            assertTrue(nOut * p >= Math.min(DeviceReduce.TARGET_THREADS, nOut * DeviceReduce.MAX_PARTS),
                    nOut + " outputs, " + p + " parts: too few threads");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void splitReduceAndMomentsMatchTheReference(int minShare) {
        cuda.reductions().minShare = minShare;
        int[][] outs = {{1, 1, 1}, {3, 1, 1}, {1, 5, 1}, {1, 1, 17}, {3, 1, 17}, {3, 5, 1}};
        for (DType d : DType.values()) {
            for (Place place : Place.values()) {
                Tensor x = TestTensors.strided(scope, random(d, 11, 3, 5, 17));
                for (int[] o : outs) {
                    for (ReduceOp op : ReduceOp.values()) {
                        compare(place, 1, rtol(d) * 10, t -> REF.reduce(op, t[0], t[1]), t -> cuda.reduce(op, t[0], t[1]), x,
                                scope.zeros(d, o));
                    }
                    for (int correction : new int[] {0, 1}) {
                        compare(place, 2, rtol(d) * 10, t -> REF.moments(t[0], t[1], t[2], correction),
                                t -> cuda.moments(t[0], t[1], t[2], correction), x, scope.zeros(d, o), scope.zeros(d, o));
                    }
                }
            }
        }
    }

    @Test
    void aSplitReductionTakesTwoLaunchesAndASmallOneTakesOne() {
        Tensor x = cuda.place(random(DType.F32, 1, 4, 100), scope), out = cuda.empty(scope, DType.F32, 4, 1);
        long before = CudaStandIn.launches();
        cuda.reduce(ReduceOp.SUM, x, out);
        assertEquals(before + 1, CudaStandIn.launches(), "100 elements per output: one thread each");
        cuda.reductions().minShare = 8;
        cuda.reduce(ReduceOp.SUM, x, out);
        cuda.moments(x, out, cuda.empty(scope, DType.F32, 4, 1), 0);
        assertEquals(before + 5, CudaStandIn.launches(), "split: partials, then the combine, for each");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 255, 257, 1031})
    void maxAndMinKeepNaNAndSignedZerosOnAwkwardSizes(int n) {
        cuda.reductions().minShare = 1; // one element per share for n up to the cap
        for (DType d : DType.values()) {
            double[] v = scope.uniform(DType.F64, new SplittableRandom(n), -1, 1, n).toDoubleArray();
            for (int at : new int[] {0, n / 2, n - 1}) {
                double[] w = v.clone();
                w[at] = Double.NaN;
                Tensor x = scope.of(d, w, 1, n);
                for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
                    Tensor got = scope.zeros(d, 1, 1);
                    cuda.reduce(op, cuda.place(x, scope), got);
                    assertTrue(Double.isNaN(got.getFlat(0)), op + " over " + n + " with NaN at " + at + ": " + got.getFlat(0));
                }
            }
            // Signed zeros: Math.max/min's order (+0 above -0) whatever share each lands in, as the reference.
            double[] zeros = new double[n];
            for (int i = 0; i < n; i++) {
                zeros[i] = i % 2 == 0 ? -0.0 : 0.0;
            }
            zeros[n - 1] = n % 2 == 0 ? 0.0 : -0.0;
            Tensor z = scope.of(d, zeros, n);
            for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
                Tensor want = scope.zeros(d, 1), got = scope.zeros(d, 1);
                REF.reduce(op, z, want);
                cuda.reduce(op, z, got);
                assertEquals(Double.doubleToRawLongBits(want.getFlat(0)), Double.doubleToRawLongBits(got.getFlat(0)),
                        op + " of signed zeros: " + want.getFlat(0) + " vs " + got.getFlat(0));
            }
        }
    }

    /** A long vector takes the split with the default rule; the variance is of values far from 0 (cancellation). */
    @Test
    void fullReductionOfALongVector() {
        int n = 1_000_003; // prime
        assertTrue(cuda.reductions().parts(n, 1) > 1, "the default rule splits a long full reduction");
        for (DType d : DType.values()) {
            Tensor x = scope.uniform(d, new SplittableRandom(5), 1e4, 1e4 + 1, n);
            for (ReduceOp op : ReduceOp.values()) {
                compare(Place.DEVICE, 1, rtol(d) * 10, t -> REF.reduce(op, t[0], t[1]), t -> cuda.reduce(op, t[0], t[1]), x,
                        scope.zeros(d, 1));
            }
            compare(Place.DEVICE, 2, rtol(d) * 10, t -> REF.moments(t[0], t[1], t[2], 1),
                    t -> cuda.moments(t[0], t[1], t[2], 1), x, scope.zeros(d, 1), scope.zeros(d, 1));
            // The same sums over a [7, n / 7]-ish matrix reduced along its long axis, and a strided view.
            Tensor m = scope.uniform(d, new SplittableRandom(6), -1, 1, 7, 20011);
            compare(Place.HOST, 1, rtol(d) * 10, t -> REF.reduce(ReduceOp.SUM, t[0], t[1]),
                    t -> cuda.reduce(ReduceOp.SUM, t[0], t[1]), m.mT(), scope.zeros(d, 1, 7));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void lossMeansOnTheDeviceMatchTheReference(int minShare) {
        cuda.reductions().minShare = minShare;
        for (DType d : DType.values()) {
            for (Place place : Place.values()) {
                for (int n : new int[] {1, 7, 1031}) {
                    Tensor logits = random(d, n, n, 3);
                    double[] labels = new double[n];
                    for (int i = 0; i < n; i++) {
                        labels[i] = (i * 5) % 3;
                    }
                    Tensor target = scope.of(d, labels, n);
                    double[] loss = new double[2];
                    compare(place, 1, rtol(d) * 10, t -> loss[0] = REF.crossEntropy(t[0], t[1], t[2]),
                            t -> loss[1] = cuda.crossEntropy(t[0], t[1], t[2]), logits, target, scope.zeros(d, n, 3));
                    assertEquals(loss[0], loss[1], rtol(d) * 10 * Math.abs(loss[0]));
                    compare(place, 2, rtol(d) * 10, t -> REF.crossEntropy(t[0], t[1], t[2], t[3]),
                            t -> cuda.crossEntropy(t[0], t[1], t[2], t[3]), logits, target, scope.zeros(d, n, 3), scope.zeros(d));
                }
                Tensor a = random(d, 3, 9, 1009), b = TestTensors.strided(scope, random(d, 4, 9, 1009));
                double[] loss = new double[2];
                compare(place, 1, rtol(d) * 10, t -> loss[0] = REF.mse(t[0], t[1], t[2]), t -> loss[1] = cuda.mse(t[0], t[1], t[2]),
                        a, b, scope.zeros(d, 9, 1009));
                assertEquals(loss[0], loss[1], rtol(d) * 10 * Math.abs(loss[0]));
                compare(place, 2, rtol(d) * 10, t -> REF.mse(t[0], t[1], t[2], t[3]), t -> cuda.mse(t[0], t[1], t[2], t[3]),
                        a, b, null, scope.zeros(d));
            }
        }
    }

    @Test
    void aLossOnTheDeviceIsReadBackOnceAndBadLabelsAreNamedThen() {
        for (DType d : DType.values()) {
            Tensor logits = cuda.place(random(d, 1, 40, 10), scope), grad = cuda.empty(scope, d, 40, 10);
            double[] labels = new double[40];
            for (int i = 0; i < 40; i++) {
                labels[i] = i % 10;
            }
            Tensor target = cuda.place(scope.of(d, labels, 40), scope), loss = cuda.empty(scope, d);
            long before = CudaStandIn.transfers();
            cuda.crossEntropy(logits, target, grad, loss);
            assertEquals(before, CudaStandIn.transfers(), "the loss stays on the device");
            double value = cuda.item(loss);
            assertEquals(before + 1, CudaStandIn.transfers(), "one read: the caller's");
            double want = REF.crossEntropy(cuda.toHost(logits, scope), scope.of(d, labels, 40), null);
            assertEquals(want, value, rtol(d) * 10 * Math.abs(want));

            labels[17] = 10;
            labels[23] = -1;
            Tensor bad = cuda.place(scope.of(d, labels, 40), scope);
            cuda.crossEntropy(logits, bad, grad, loss); // no read-back: nothing to see yet
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cuda.item(loss));
            assertTrue(e.getMessage().contains("target[17] = 10.0 is not a class index in [0, 10)"), e.getMessage());
            assertTrue(Double.isNaN(cuda.item(loss)), "the check is owed once; the loss itself is NaN");
            Tensor hostBad = scope.of(d, labels, 40);
            e = assertThrows(IllegalArgumentException.class, () -> cuda.crossEntropy(logits, hostBad, grad, loss));
            assertTrue(e.getMessage().contains("target[17] = 10.0"), "host labels are checked at the call: " + e.getMessage());
        }
    }
}
