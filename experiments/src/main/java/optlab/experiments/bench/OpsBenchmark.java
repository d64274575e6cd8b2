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
 * JMH benchmark of one {@link StreamOp} on x [rows, cols] with optlab's CPU backend, or of a plain
 * memory copy of the same bytes (MEMCPY). Setup checks the result against a double oracle before
 * anything is timed. Scores are calls per second; the command turns them into GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OpsBenchmark {
    private static final long SEED = 20_260_102L;

    @Param("ADD")
    public StreamOp op;

    @Param("F32")
    public DType dtype;

    @Param("1")
    public int threads;

    @Param("2048")
    public int rows;

    @Param("2048")
    public int cols;

    private optlab.tensor.Scope scope;
    private Backend backend;
    private ParallelCopy copier;
    private Tensor[] in;
    private Tensor out;

    @Setup(Level.Trial)
    public void setUp() {
        scope = optlab.tensor.Scope.open();
        in = op.inputs(scope, dtype, rows, cols, SEED);
        out = op.output(scope, dtype, rows, cols);
        if (op == StreamOp.MEMCPY) {
            copier = new ParallelCopy(threads);
            copier.copy(in[0].segment(), out.segment());
            if (in[0].segment().mismatch(out.segment()) != -1) {
                throw new IllegalStateException("memcpy: copy differs from its source at byte "
                        + in[0].segment().mismatch(out.segment()));
            }
        } else {
            backend = Backends.cpu(threads);
            op.check(backend, in, out);
        }
    }

    @Benchmark
    public Tensor run() {
        if (copier != null) {
            copier.copy(in[0].segment(), out.segment());
        } else {
            op.run(backend, in, out);
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (copier != null) {
            copier.close();
        }
        if (backend != null) {
            backend.close();
        }
        scope.close();
    }
}
