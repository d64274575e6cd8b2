package optlab.experiments.loop;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.run.AtomicFiles;
import optlab.models.ModelSpace;
import optlab.optim.ParamRange;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * Per-tensor gradient norms ‖g_t‖ over each named parameter (which layers still get gradient: the vanishing-gradient
 * question), at step 0 and then every {@code every} steps, into {@code grad_norms.csv} (step, epoch, then one column
 * per parameter tensor in state-dict order). Sums of squares in double.
 */
public final class GradNorms implements Probe {
    static final String FILE = "grad_norms.csv";
    private final long every;
    private List<ParamRange> ranges;
    private java.nio.file.Path dir;
    private final StringBuilder csv = new StringBuilder();
    private final List<double[]> rows = new ArrayList<>();
    /** For a model on a device: a host copy of the gradient block, refreshed at each row. */
    private optlab.tensor.Scope host;
    private Tensor copy;

    /** @param every steps between rows (≥ 1) */
    public GradNorms(long every) {
        if (every < 1) {
            throw new IllegalArgumentException("grad_norms: every must be >= 1, got " + every);
        }
        this.every = every;
    }

    @Override
    public String name() {
        return "grad_norms";
    }

    @Override
    public void start(RunContext run) {
        dir = run.dir();
        ranges = ModelSpace.of(run.model()).ranges();
        csv.append("step,epoch");
        for (ParamRange r : ranges) {
            csv.append(',').append(r.name());
        }
        csv.append('\n');
    }

    @Override
    public void afterBackward(StepView s) {
        if (s.step() % every != 0) {
            return;
        }
        Tensor g = s.grads();
        if (g.onDevice()) { // the gradients of a model on a device, copied to the host at each row
            if (host == null) {
                host = optlab.tensor.Scope.open();
                copy = host.empty(g.dtype(), g.shape());
            }
            s.backend().copy(g, copy);
            g = copy;
        }
        double[] norms = norms(g, ranges);
        rows.add(norms);
        csv.append(s.step()).append(',').append(s.epoch());
        for (double n : norms) {
            csv.append(',').append(n);
        }
        csv.append('\n');
    }

    /** ‖g‖ over each range of the flat block {@code g}, summed in double. */
    public static double[] norms(Tensor g, List<ParamRange> ranges) {
        MemorySegment seg = g.segment();
        boolean f32 = g.dtype() == DType.F32;
        double[] out = new double[ranges.size()];
        for (int i = 0; i < out.length; i++) {
            ParamRange r = ranges.get(i);
            double sum = 0;
            long from = g.offset() + r.offset(), to = from + r.numel();
            for (long e = from; e < to; e++) {
                double v = f32 ? seg.getAtIndex(ValueLayout.JAVA_FLOAT, e) : seg.getAtIndex(ValueLayout.JAVA_DOUBLE, e);
                sum += v * v;
            }
            out[i] = Math.sqrt(sum);
        }
        return out;
    }

    /** The rows recorded so far, one array of norms per row (range order). */
    public List<double[]> rows() {
        return List.copyOf(rows);
    }

    @Override
    public void atEnd(LoopResult r) throws IOException {
        if (dir != null) {
            AtomicFiles.write(dir.resolve(FILE), csv.toString());
        }
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
            host = null;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "grad_norms(every=%d)", every);
    }
}
