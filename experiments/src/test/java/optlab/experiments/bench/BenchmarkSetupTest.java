package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' setup in-process, without JMH: operands in their layouts, the result check
 * against OpenBLAS or the reference backend, and the timed methods' output.
 */
class BenchmarkSetupTest {

    @Test
    void gemmSetupChecksOptlabOnEveryLayout() {
        // NN, NT and TN layouts; F64 on the small square only (MLP shapes are timed in F32).
        for (String shape : new String[] {"sq64", "mlp-fwd-L3", "mlp-dW-L3"}) {
            for (DType dtype : shape.equals("sq64") ? DType.values() : new DType[] {DType.F32}) {
                GemmBenchmark b = new GemmBenchmark();
                b.shape = shape;
                b.dtype = dtype;
                b.threads = 2;
                b.setUp();
                try {
                    GemmShape s = GemmShape.byId(shape);
                    Tensor c = b.optlab();
                    assertArrayEquals(new int[] {s.m(), s.n()}, c.shape());
                    if (OpenBlas.load().isPresent()) {
                        assertSame(c, b.openblas());
                    }
                } finally {
                    b.tearDown();
                }
            }
        }
    }

    @Test
    void memcpySetupCopiesOnEveryThreadCount() {
        for (int threads : new int[] {1, 3}) {
            OpsBenchmark b = new OpsBenchmark();
            b.op = StreamOp.MEMCPY;
            b.dtype = DType.F64;
            b.threads = threads;
            b.rows = 7;
            b.cols = 129;
            b.setUp();
            try {
                assertArrayEquals(new int[] {7, 129}, b.run().shape());
            } finally {
                b.tearDown();
            }
        }
    }
}
