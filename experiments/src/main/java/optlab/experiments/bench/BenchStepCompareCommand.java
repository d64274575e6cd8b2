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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    StepBenchOptions o = new StepBenchOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String problem = o.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        StepComparison.Side sa = side("A", a, aProbes), sb = side("B", b, bProbes);
        StepComparison.Result r = StepComparison.measure(o.model, o.dtype(), o.batch, o.threads, o.warmup, o.seconds, sa, sb);
        FmaPeak.Table peak = o.peak(); // after the steps, so a bad --model fails at once
        StepBenchOptions.print(out, r, "%-40s", peak);
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
