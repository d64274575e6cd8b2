package optlab.experiments.bench;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import optlab.experiments.loop.Probe;
import optlab.experiments.loop.ProbeSpec;
import optlab.models.Model;
import optlab.models.ModelSpace;
import optlab.optim.Optimizer;
import optlab.optim.Optimizers;
import optlab.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optlab bench step-compare}: the cost of one training step against another on the same MLP and batch, side
 * by side in one JVM ({@link StepComparison}): two optimizers (SGD against Heun or RK4), or the same optimizer with
 * and without probes (the cost of measuring).
 */
@Command(name = "step-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times full training steps of side A and side B (each: an optimizer spec and probes) on one model "
                + "and random batch, in alternating blocks of " + StepComparison.BLOCK + " steps after a warm-up, and "
                + "prints each side's median and p10 step time and the ratio B/A.",
                "Example: optlab bench step-compare --a sgd:lr=0.01 --b rk4:lr=0.01"})
public final class BenchStepCompareCommand implements Callable<Integer> {
    @Option(names = "--a", paramLabel = "SPEC", description = "Side A's optimizer (default ${DEFAULT-VALUE}).")
    String a = "sgd:lr=0.001";

    @Option(names = "--b", paramLabel = "SPEC", required = true, description = "Side B's optimizer.")
    String b;

    @Option(names = "--a-probe", paramLabel = "PROBE", description = "A probe on side A (repeatable), e.g. grad_norms:every=1.")
    List<String> aProbes = new ArrayList<>();

    @Option(names = "--b-probe", paramLabel = "PROBE", description = "A probe on side B (repeatable).")
    List<String> bProbes = new ArrayList<>();

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (batch < 1 || threads < 1 || !(seconds > 0) || !(warmup >= 0)) {
            throw new IllegalArgumentException("--batch and --threads must be >= 1, --seconds > 0 and --warmup >= 0");
        }
        DType dt = DType.valueOf(dtype.trim().toUpperCase(Locale.ROOT));
        StepComparison.Side sa = side("A", a, aProbes), sb = side("B", b, bProbes);
        StepComparison.Result r = StepComparison.measure(model, dt, batch, threads, warmup, seconds, sa, sb);
        out.printf(Locale.ROOT, "%s batch %d, %s, %d parameters, %d thread%s; %s; java %s%n", r.model(), r.batch(),
                r.dtype().name(), r.parameters(), r.threads(), r.threads() == 1 ? "" : "s", r.backend(), Runtime.version());
        for (StepComparison.Stats s : new StepComparison.Stats[] {r.a(), r.b()}) {
            out.printf(Locale.ROOT, "%-40s step median %8.3f ms, p10 %8.3f ms; update median %7.3f ms; %d steps; loss %.4f%n",
                    s.optimizer(), s.medianMs(), s.p10Ms(), s.updateMedianMs(), s.steps(), s.loss());
        }
        if (r.poolGrowthBytes() != 0) {
            out.printf(Locale.ROOT, "warning: the buffer pool grew by %d bytes during the timed steps%n", r.poolGrowthBytes());
        }
        out.printf(Locale.ROOT, "B/A step ratio: median %.3f, p10 %.3f%n", r.medianRatio(), r.p10Ratio());
        out.printf(Locale.ROOT, "whole step with probes: A median %.3f ms, B median %.3f ms; B/A median %.3f, p10 %.3f%n",
                r.a().wholeMedianMs(), r.b().wholeMedianMs(), r.wholeMedianRatio(), r.wholeP10Ratio());
        out.flush();
        return 0;
    }

    private static StepComparison.Side side(String which, String optimizer, List<String> probes) {
        Optimizer o = Optimizers.parse(optimizer);
        List<ProbeSpec> specs = new ArrayList<>();
        for (String p : probes) {
            specs.add(ProbeSpec.parse(TextNode.valueOf(p), "--" + which.toLowerCase(Locale.ROOT) + "-probe"));
        }
        String name = which + ": " + o.name() + (probes.isEmpty() ? "" : " + " + String.join(" + ", probes));
        return new StepComparison.Side(name, o, (Model m) -> {
            List<Probe> built = new ArrayList<>();
            for (ProbeSpec s : specs) {
                built.add(s.build(ModelSpace.of(m)));
            }
            return built;
        });
    }
}
