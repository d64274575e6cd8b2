package optlab.experiments.bench;

import java.util.Locale;
import optlab.tensor.DType;
import picocli.CommandLine.Option;

/** The options of the side-by-side step benchmarks (path-step, step-compare), declared once. */
public final class StepBenchOptions {
    @Option(names = "--model", paramLabel = "SPEC", description = "Zoo MLP spec (default ${DEFAULT-VALUE}).")
    String model = "mlp:784-4000-4000-10";

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--threads", paramLabel = "T", description = "Kernel threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seconds", paramLabel = "S", description = "Measurement time, both sides together (default ${DEFAULT-VALUE}).")
    double seconds = 30;

    @Option(names = "--warmup", paramLabel = "S", description = "Warm-up time per side (default ${DEFAULT-VALUE}).")
    double warmup = 5;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Data type (default f32).")
    String dtype = "f32";

    /** Null when the values are valid, else the message. */
    String problem() {
        if (batch < 1 || threads < 1 || !(seconds > 0) || !(warmup >= 0)) {
            return "--batch and --threads must be >= 1, --seconds > 0 and --warmup >= 0";
        }
        try {
            dtype();
        } catch (IllegalArgumentException e) {
            return "--dtype takes f32 or f64, got '" + dtype + "'";
        }
        return null;
    }

    DType dtype() {
        return DType.valueOf(dtype.trim().toUpperCase(Locale.ROOT));
    }

    /** The FMA peak of this run's dtype and thread count, measured now (about 3 s: warm-up, then two passes). */
    FmaPeak.Table peak() {
        return FmaPeak.Table.measure(java.util.List.of(dtype()), java.util.List.of(threads), 1.0);
    }

    /**
     * Prints the run's header line, the FMA peak and the step's FLOP count, and both sides' figures, each median with
     * its GFLOP/s and fraction of the peak where the model has a FLOP count; the ratio line is the caller's.
     */
    static void print(java.io.PrintWriter out, StepComparison.Result r, String nameFormat, FmaPeak.Table peak) {
        out.printf(Locale.ROOT, "%s batch %d, %s, %d parameters, %d thread%s; %s; java %s%n", r.model(), r.batch(),
                r.dtype().name(), r.parameters(), r.threads(), r.threads() == 1 ? "" : "s", r.backend(), Runtime.version());
        StepFlops.header(out, peak, r.stepFlops());
        for (StepComparison.Stats s : new StepComparison.Stats[] {r.a(), r.b()}) {
            String rate = StepFlops.rate(r.stepFlops(), s.medianMs() / 1e3, peak, r.dtype().name(), r.threads());
            out.printf(Locale.ROOT, nameFormat + " step median %8.3f ms, p10 %8.3f ms; update median %7.3f ms; %d steps;"
                    + " loss %.4f%s%n", s.optimizer(), s.medianMs(), s.p10Ms(), s.updateMedianMs(), s.steps(), s.loss(),
                    rate.isEmpty() ? "" : "; median " + rate);
        }
        if (r.poolGrowthBytes() != 0) {
            out.printf(Locale.ROOT, "warning: the buffer pool grew by %d bytes during the timed steps%n", r.poolGrowthBytes());
        }
    }
}
