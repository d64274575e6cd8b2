package optlab.experiments.pathgeometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Named settings of the study. Both presets run the same studies, all at one batch size B0 = 128 and the family's
 * base learning rate unless the study varies it:
 * <ul>
 *   <li>arch: ResNet (BatchNorm and skips), without BatchNorm ({@code bn=false}), without skips ({@code skip=false}),
 *       a plain ReLU MLP of two hidden layers with about the ResNet's parameter count, and μP MLPs
 *       ({@code mup:gamma0=G}, width {@code mupWidth}) at γ0 ∈ {0.1, 1, 10}, all with SGD;</li>
 *   <li>optimizer: SGD with momentum 0.9 (lr/10) and Adam (1e-3) on the ResNet (and the MLP in {@code paper});</li>
 *   <li>batch: B ∈ {64, 256, 512} beside B0 with lr ∝ √B, on the MLP (and the ResNet in {@code paper});</li>
 *   <li>lr: the base lr × 0.5 and × 2 on the MLP;</li>
 *   <li>width: the MLP's hidden width × 0.25, 0.5 and 2 (the dimension study against the chance cosine 1/√d);</li>
 *   <li>seed: seeds 1 and 2 beside 0 on the MLP ({@code quick}); in {@code paper} every run of every study has three
 *       seeds.</li>
 * </ul>
 * {@code quick}: ResNet blocks 1-1-1 of width 8 (≈ 20k parameters), 150 steps (0.32 epoch of Fashion-MNIST), fixed
 * batches every 50 steps, straight line on 500 training samples: 19 runs, under 20 minutes on two cores.
 * {@code paper}: ResNet blocks 2-2-2 of width 16, 20 epochs, full-batch gradients every epoch: days on two cores.
 */
public enum Preset {
    QUICK("quick", "1-1-1", 8, 128, 150, 0, 50, 500, false, List.of(0L)),
    PAPER("paper", "2-2-2", 16, 256, 0, 20, 200, 10_000, true, List.of(0L, 1L, 2L));

    /** The batch size of every study but the batch study. */
    public static final int BASE_BATCH = 128;
    /** SGD's base learning rates: ResNets, plain MLPs. */
    public static final double RESNET_LR = 0.05, MLP_LR = 0.1;

    private final String key;
    private final String blocks;
    private final int width;
    private final int mupWidth;
    private final long steps;
    private final int epochs;
    private final int fixedEvery;
    private final int lineSamples;
    private final boolean fullBatch;
    private final List<Long> seeds;

    Preset(String key, String blocks, int width, int mupWidth, long steps, int epochs, int fixedEvery, int lineSamples,
            boolean fullBatch, List<Long> seeds) {
        this.key = key;
        this.blocks = blocks;
        this.width = width;
        this.mupWidth = mupWidth;
        this.steps = steps;
        this.epochs = epochs;
        this.fixedEvery = fixedEvery;
        this.lineSamples = lineSamples;
        this.fullBatch = fullBatch;
        this.seeds = seeds;
    }

    public String key() {
        return key;
    }

    public static Preset byKey(String s) {
        for (Preset p : values()) {
            if (p.key.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + s + "' (known: quick, paper)");
    }

    /** This preset's settings on {@code data} into {@code out}. */
    public Settings settings(com.fasterxml.jackson.databind.JsonNode data, java.nio.file.Path out, int workers) {
        return new Settings(key, data, steps, epochs, blocks, width, mupWidth, fixedEvery, lineSamples, fullBatch, seeds,
                this == PAPER, workers, out);
    }

    /** γ0 of the μP study. */
    static final double[] GAMMAS = {0.1, 1, 10};

    /**
     * μP's SGD learning rate lr = N·η0 with η0 = 0.1·γ0² below γ0 = 1 and 0.1·γ0^(2/3) above: the scaling of the
     * largest stable step with γ0 for a depth-3 network (Atanasov et al., see the gamma-eta sweep), a decade below it.
     */
    static double mupLr(int width, double gamma0) {
        double eta0 = gamma0 <= 1 ? 0.1 * gamma0 * gamma0 : 0.1 * Math.pow(gamma0, 2.0 / 3);
        return Double.parseDouble(String.format(Locale.ROOT, "%.3g", width * eta0));
    }

    /** The variants of {@code s} for a ResNet spec and an MLP of hidden width {@code hidden} (input and classes set). */
    static List<Variant> variants(Settings s, String resnet, String resnetNoBn, String resnetNoSkip, String mlp,
            java.util.function.IntFunction<String> mlpOfWidth, int hidden, String mup) {
        List<Variant> out = new ArrayList<>();
        List<Long> extra = s.allSeeds() ? s.seeds() : List.of(s.seeds().getFirst());
        for (long seed : extra) {
            int b = BASE_BATCH;
            out.add(new Variant("arch", "resnet", resnet, "standard", "sgd", b, RESNET_LR, seed));
            out.add(new Variant("arch", "resnet-nobn", resnetNoBn, "standard", "sgd", b, RESNET_LR, seed));
            out.add(new Variant("arch", "resnet-noskip", resnetNoSkip, "standard", "sgd", b, RESNET_LR, seed));
            out.add(new Variant("arch", "mlp", mlp, "standard", "sgd", b, MLP_LR, seed));
            for (double g : GAMMAS) {
                out.add(new Variant("arch", "mup-g" + Variant.shortNumber(g), mup, "mup:gamma0=" + g, "sgd", b,
                        mupLr(s.mupWidth(), g), seed));
            }
            out.add(new Variant("optimizer", "resnet", resnet, "standard", "momentum", b, RESNET_LR / 10, seed));
            out.add(new Variant("optimizer", "resnet", resnet, "standard", "adam", b, 1e-3, seed));
            if (s.allSeeds()) {
                out.add(new Variant("optimizer", "mlp", mlp, "standard", "momentum", b, MLP_LR / 10, seed));
                out.add(new Variant("optimizer", "mlp", mlp, "standard", "adam", b, 1e-3, seed));
            }
            for (int batch : new int[] {64, 256, 512}) {
                double scale = Math.sqrt((double) batch / BASE_BATCH);
                out.add(new Variant("batch", "mlp", mlp, "standard", "sgd", batch, round(MLP_LR * scale), seed));
                if (s.allSeeds()) {
                    out.add(new Variant("batch", "resnet", resnet, "standard", "sgd", batch, round(RESNET_LR * scale), seed));
                }
            }
            for (double f : new double[] {0.5, 2}) {
                out.add(new Variant("lr", "mlp", mlp, "standard", "sgd", b, MLP_LR * f, seed));
            }
            for (double f : new double[] {0.25, 0.5, 2}) {
                int w = Math.max(1, (int) Math.round(hidden * f));
                out.add(new Variant("width", "mlp-h" + w, mlpOfWidth.apply(w), "standard", "sgd", b, MLP_LR, seed));
            }
        }
        if (!s.allSeeds()) {
            for (long seed : s.seeds().subList(0, 1)) {
                for (long k = 1; k <= 2; k++) {
                    out.add(new Variant("seed", "mlp", mlp, "standard", "sgd", BASE_BATCH, MLP_LR, seed + k));
                }
            }
        }
        return out;
    }

    static double round(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3g", x));
    }
}
