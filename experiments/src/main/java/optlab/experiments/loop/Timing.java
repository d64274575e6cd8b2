package optlab.experiments.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import optlab.experiments.run.AtomicFiles;

/**
 * Time per step (forward, backward and update; evaluations and probes excluded) into {@code timing.csv} (step,
 * step_ms) and its median and 10th percentile into the summary ({@code timing}), the figures a step benchmark
 * reports.
 */
public final class Timing implements Probe {
    static final String FILE = "timing.csv";
    private java.nio.file.Path dir;
    private double lastSeconds;
    private double[] ms = new double[256];
    private long[] steps = new long[256];
    private int n;

    @Override
    public String name() {
        return "timing";
    }

    @Override
    public void start(RunContext run) {
        dir = run.dir();
    }

    @Override
    public void afterUpdate(StepView s) {
        if (n == ms.length) {
            ms = Arrays.copyOf(ms, 2 * n);
            steps = Arrays.copyOf(steps, 2 * n);
        }
        double now = s.trainSeconds();
        steps[n] = s.step();
        ms[n++] = (now - lastSeconds) * 1e3;
        lastSeconds = now;
    }

    /** The q-quantile (0 … 1) of the step times in ms, NaN before any step. */
    public double quantileMs(double q) {
        if (n == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(ms, n);
        Arrays.sort(sorted);
        return sorted[(int) Math.min(n - 1, Math.round(q * (n - 1)))];
    }

    @Override
    public void atEnd(LoopResult r) throws IOException {
        if (dir == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(24 * n + 16).append("step,step_ms\n");
        for (int i = 0; i < n; i++) {
            sb.append(steps[i]).append(',').append(String.format(java.util.Locale.ROOT, "%.4f", ms[i])).append('\n');
        }
        AtomicFiles.write(dir.resolve(FILE), sb.toString());
    }

    @Override
    public void summarize(ObjectNode summary) {
        if (n > 0) {
            ObjectNode t = summary.putObject("timing");
            t.put("median_step_ms", quantileMs(0.5));
            t.put("p10_step_ms", quantileMs(0.1));
            t.put("steps", n);
        }
    }
}
