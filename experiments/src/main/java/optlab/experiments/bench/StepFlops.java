package optlab.experiments.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalDouble;
import optlab.models.Model;
import optlab.tensor.Tensor;

/**
 * The floating-point work of one training step of a zoo MLP ({@code mlp:...}), so that a step time reads as GFLOP/s
 * and as a fraction of the machine's FMA peak: 6·batch·Σ fan_in·fan_out over its weight matrices, that is the three
 * GEMMs of each Linear layer (forward Y = X·Wᵀ, input gradient dX = dY·W, weight gradient dW = dYᵀ·X), 2 flops per
 * multiply-add. Not counted: biases, activations, the loss, the update (all O(batch·width), not O(batch·width²)),
 * and the extra gradient evaluations of multi-stage rules (Heun, RK4) or probes; counted: the first layer's input
 * gradient, which a step need not compute. A μP or NTK network also runs its frozen initial copy forward (the
 * centering f_θ − f_θ0): 2·batch·Σ fan_in·fan_out more, 8 in all. So the fraction is the GEMM work a plain SGD step
 * cannot avoid, over the time the whole step took. Other model families have no such count here: their benchmarks
 * print the peak only.
 */
public final class StepFlops {
    private StepFlops() {
    }

    /**
     * The step's flops, or empty when {@code spec} is not a zoo MLP; {@code frozenCopy}: the model's output stage
     * runs a frozen copy of the network forward (μP, NTK).
     */
    public static OptionalDouble of(String spec, Model model, int batch, boolean frozenCopy) {
        if (!spec.trim().startsWith("mlp:")) {
            return OptionalDouble.empty();
        }
        double fanProducts = 0;
        for (var p : model.namedParameters().values()) {
            Tensor w = p.value();
            if (w.rank() == 2) {
                fanProducts += (double) w.dim(0) * w.dim(1);
            }
        }
        return OptionalDouble.of((frozenCopy ? 8.0 : 6.0) * batch * fanProducts);
    }

    /**
     * "12.3 GFLOP/s, 6% of the F32 2-thread FMA peak" for a step of {@code flops} taking {@code seconds}, or the empty
     * string when the count is unknown.
     */
    static String rate(OptionalDouble flops, double seconds, FmaPeak.Table peak, String dtype, int threads) {
        if (flops.isEmpty() || !(seconds > 0)) {
            return "";
        }
        double gflops = flops.getAsDouble() / seconds / 1e9;
        return String.format(Locale.ROOT, "%.3g GFLOP/s, %s of the %s %d-thread FMA peak", gflops,
                peak.percent(gflops, dtype, threads), dtype, threads);
    }

    /** The peak line and, for an MLP, what a step's GFLOP/s count means; printed once before a step benchmark's figures. */
    static void header(PrintWriter out, FmaPeak.Table peak, OptionalDouble flops) {
        out.println(peak.line());
        if (flops.isPresent()) {
            out.printf(Locale.ROOT, "step work: %.3g GFLOP (the forward, input-gradient and weight-gradient GEMMs of "
                    + "each layer, and a frozen copy's forward for mup/ntk; one gradient evaluation; see StepFlops)%n",
                    flops.getAsDouble() / 1e9);
        } else {
            out.println("step work: no FLOP count for this model family (zoo MLPs only), so no fraction of the peak");
        }
    }
}
