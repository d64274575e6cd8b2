package optlab.experiments.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
    @Mixin
    StepBenchOptions o = new StepBenchOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        String problem = o.problem();
        if (problem != null) {
            err.println("optlab bench path-step: " + problem);
            return 2;
        }
        StepComparison.Result r;
        try {
            r = StepComparison.pathSgd(o.model, o.dtype(), o.batch, o.threads, o.warmup, o.seconds);
        } catch (IllegalArgumentException e) {
            err.println("optlab bench path-step: --model " + o.model + ": " + e.getMessage());
            return 2;
        }
        FmaPeak.Table peak = o.peak(); // after the steps, so a bad --model fails at once
        StepBenchOptions.print(out, r, "%-9s", peak);
        out.printf(Locale.ROOT, "path-sgd/sgd step ratio: median %.3f, p10 %.3f%n", r.medianRatio(), r.p10Ratio());
        out.flush();
        return 0;
    }
}
