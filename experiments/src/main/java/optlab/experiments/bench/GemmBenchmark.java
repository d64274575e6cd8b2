package optlab.experiments.bench;

import java.util.concurrent.TimeUnit;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmark of one {@link GemmShape}: C = A·B (alpha 1, beta 0) by optlab's
 * {@link Backend#gemm} or by OpenBLAS on the same operands. Setup checks the result once before
 * anything is timed (see {@link GemmCheck}); a wrong result fails the fork and the run.
 * Scores are products per second; the command turns them into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GemmBenchmark {
    /** Above this many flops the reference backend is too slow to serve as an element-wise oracle. */
    static final double REFERENCE_MAX_FLOPS = 1 << 26;

    private static final long SEED = 20_260_101L;

    /** A {@link GemmShape#id()}. */
    @Param("sq64")
    public String shape;

    @Param("F32")
    public DType dtype;

    /** Worker threads for optlab's backend and for OpenBLAS alike. */
    @Param("1")
    public int threads;

    private optlab.tensor.Scope scope;
    private Backend backend;
    private OpenBlas blas;
    private GemmOperands x;

    @Setup(Level.Trial)
    public void setUp() {
        GemmShape s = GemmShape.byId(shape);
        scope = optlab.tensor.Scope.open();
        backend = Backends.cpu(threads);
        blas = OpenBlas.load().orElse(null);
        if (blas != null) {
            blas.setThreads(threads);
        }
        x = GemmOperands.allocate(scope, s, dtype, SEED);
        check(s);
    }

    /** Checks optlab's product (and OpenBLAS's, when present) before timing. */
    private void check(GemmShape s) {
        Tensor a = x.a(), b = x.b();
        backend.gemm(1, a, b, 0, x.c());
        GemmCheck.freivalds("optlab gemm " + s.id(), a, b, x.c(), SEED + 1);
        Tensor expected = scope.zeros(dtype, s.m(), s.n());
        if (blas != null) {
            blas.gemm(1, a, b, 0, expected);
            GemmCheck.freivalds("OpenBLAS gemm " + s.id(), a, b, expected, SEED + 2);
            GemmCheck.compare("optlab gemm " + s.id() + " vs OpenBLAS", a, b, expected, x.c());
        } else if (s.flops() <= REFERENCE_MAX_FLOPS) {
            try (Backend reference = Backends.reference()) {
                reference.gemm(1, a, b, 0, expected);
            }
            GemmCheck.compare("optlab gemm " + s.id() + " vs reference backend", a, b, expected, x.c());
        }
    }

    @Benchmark
    public Tensor optlab() {
        backend.gemm(1, x.a(), x.b(), 0, x.c());
        return x.c();
    }

    @Benchmark
    public Tensor openblas() {
        if (blas == null) {
            throw new IllegalStateException("OpenBLAS benchmark without OpenBLAS: " + OpenBlas.missingReason());
        }
        blas.gemm(1, x.a(), x.b(), 0, x.c());
        return x.c();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        scope.close();
    }
}
