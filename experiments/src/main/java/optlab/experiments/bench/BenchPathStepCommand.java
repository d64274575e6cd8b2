package optlab.experiments.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import optlab.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optlab bench path-step}: the cost of a Path-SGD training step relative to an SGD step on the same MLP and
 * batch (issue 4's target: at most 1.10 on mlp:784-4000-4000-10 at batch 100), measured side by side in one JVM.
 */
@Command(name = "path-step", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times full training steps (zeroGrad, forward, cross-entropy, backward, update) with SGD and with "
                + "Path-SGD on one model and random batch, in alternating blocks of " + StepComparison.BLOCK
                + " steps after a warm-up, and prints each optimizer's median and p10 step time and the ratio "
                + "Path-SGD/SGD."})
public final class BenchPathStepCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "SPEC", description = "Zoo MLP spec (default ${DEFAULT-VALUE}).")
    String model = "mlp:784-4000-4000-10";

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--threads", paramLabel = "T", description = "Kernel threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seconds", paramLabel = "S", description = "Measurement time, both optimizers together (default ${DEFAULT-VALUE}).")
    double seconds = 30;

    @Option(names = "--warmup", paramLabel = "S", description = "Warm-up time per optimizer (default ${DEFAULT-VALUE}).")
    double warmup = 5;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Data type (default f32).")
    String dtype = "f32";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (batch < 1 || threads < 1 || !(seconds > 0) || !(warmup >= 0)) {
            err.println("optlab bench path-step: --batch and --threads must be >= 1, --seconds > 0 and --warmup >= 0");
            return 2;
        }
        DType dt;
        try {
            dt = DType.valueOf(dtype.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("optlab bench path-step: --dtype takes f32 or f64, got '" + dtype + "'");
            return 2;
        }
        StepComparison.Result r;
        try {
            r = StepComparison.pathSgd(model, dt, batch, threads, warmup, seconds);
        } catch (IllegalArgumentException e) {
            err.println("optlab bench path-step: --model " + model + ": " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "%s batch %d, %s, %d parameters, %d thread%s; %s; java %s%n", r.model(), r.batch(),
                r.dtype().name(), r.parameters(), r.threads(), r.threads() == 1 ? "" : "s", r.backend(), Runtime.version());
        for (StepComparison.Stats s : new StepComparison.Stats[] {r.a(), r.b()}) {
            out.printf(Locale.ROOT, "%-9s step median %8.3f ms, p10 %8.3f ms; update median %7.3f ms; %d steps; loss %.4f%n",
                    s.optimizer(), s.medianMs(), s.p10Ms(), s.updateMedianMs(), s.steps(), s.loss());
        }
        if (r.poolGrowthBytes() != 0) {
            out.printf(Locale.ROOT, "warning: the buffer pool grew by %d bytes during the timed steps%n", r.poolGrowthBytes());
        }
        out.printf(Locale.ROOT, "path-sgd/sgd step ratio: median %.3f, p10 %.3f%n", r.medianRatio(), r.p10Ratio());
        out.flush();
        return 0;
    }
}
