package optlab.experiments.gammaeta;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The named sweeps of {@code optlab sweep gamma-eta --preset}:
 * <ul>
 *   <li>{@code quick}: μP MLP 32-128-128-1 (L = 3) on the teacher–student stream (D = 32, tanh teacher of 32
 *       units), MSE, batch 64, 2000 steps, γ0 = 1e-3 .. 1e3 and η0 from 1e4 down, two per decade, 3 decades
 *       below η_max, top Hessian eigenvalue at the end of each run. Made to finish in well under 20 minutes on
 *       2 cores and show both slopes of η_max.</li>
 *   <li>{@code paper}: the paper's protocol on augmented Fashion-MNIST: γ0 = 1e-5 .. 1e5, η0 from 1e6 down, long
 *       runs (20000 steps), for the architecture chosen with {@code arch}: mlp (784-N-N-10), cnn (the paper's:
 *       conv N, conv 2N, fc 8N, average pooling), resnet (width N) or vit (dim N).</li>
 * </ul>
 */
public final class Presets {
    public static final List<String> NAMES = List.of("quick", "paper");
    public static final List<String> ARCHS = List.of("mlp", "cnn", "resnet", "vit");

    private Presets() {
    }

    /** The sweep spec JSON of preset {@code name} for {@code arch} (mlp for quick) at width {@code width} (0: default). */
    public static ObjectNode of(String name, String arch, int width) {
        ObjectNode o = SweepJson.MAPPER.createObjectNode();
        ObjectNode run = o.putObject("run");
        run.put("parameterization", "mup");
        run.put("loss", "mse");
        run.put("batch_size", 64);
        run.put("seed", 0);
        run.put("threads", 1);
        run.put("hessian_iterations", 20);
        switch (name) {
            case "quick" -> {
                int n = width > 0 ? width : 128;
                run.put("model", model(arch, n, 32, true));
                ObjectNode d = run.putObject("data");
                d.put("source", "teacher-student");
                d.put("dim", 32);
                d.put("hidden", 32);
                d.put("activation", "tanh");
                d.put("test", 2000);
                run.put("steps", 2000);
                range(o, -3, 3, 4);
            }
            case "paper" -> {
                int n = width > 0 ? width : arch.equals("mlp") ? 1000 : 64;
                run.put("model", model(arch, n, 784, false));
                run.put("data", "fashion-mnist");
                run.put("steps", 20_000);
                range(o, -5, 5, 6);
            }
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + NAMES + ")");
        }
        return o;
    }

    private static void range(ObjectNode o, int gFrom, int gTo, int etaTop) {
        ObjectNode g = o.putObject("gamma0");
        g.put("from", gFrom);
        g.put("to", gTo);
        g.put("per_decade", 2);
        ObjectNode e = o.putObject("eta0");
        e.put("top", etaTop);
        e.put("floor", -14);
        e.put("per_decade", 2);
        e.put("decades_below", 3);
        e.put("ce_to_floor", false);
    }

    /** The zoo spec of {@code arch} at width n; {@code regression}: one output for the teacher–student task. */
    static String model(String arch, int n, int inputs, boolean regression) {
        if (regression && !arch.equals("mlp")) {
            throw new IllegalArgumentException("the teacher-student stream is for the mlp; give --data fashion-mnist for " + arch);
        }
        return switch (arch) {
            case "mlp" -> String.format(Locale.ROOT, "mlp:%d-%d-%d-%d", inputs, n, n, regression ? 1 : 10);
            case "cnn" -> String.format(Locale.ROOT, "cnn:in=1x28x28,conv=%d-%d,fc=%d,pool=avg,pad=valid", n, 2 * n, 8 * n);
            case "resnet" -> String.format(Locale.ROOT, "resnet:blocks=2-2-2-2,width=%d,in=1", n);
            case "vit" -> String.format(Locale.ROOT, "vit:image=28,patch=4,dim=%d,depth=6,heads=%d,in=1", n, Math.max(1, n / 64));
            default -> throw new IllegalArgumentException("unknown arch '" + arch + "' (known: " + ARCHS + ")");
        };
    }
}
