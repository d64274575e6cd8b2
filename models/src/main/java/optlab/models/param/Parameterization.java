package optlab.models.param;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import optlab.models.Model;
import optlab.models.Module;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.tensor.DType;

/**
 * How a zoo model is parameterized, after Atanasov, Meterez, Simon, Pehlevan, "The Optimization
 * Landscape of SGD Across the Feature Learning Strength" (ICLR 2025) and its reference code
 * (Pehlevan-Group/Richness_Sweep). With N(0, 1) weights and biases and multipliers in the forward pass:
 * <ul>
 * <li>{@code STANDARD}: today's zoo model with the given {@link InitScheme} (PyTorch's layers);
 *     its output is divided by γ0 when γ0 ≠ 1, not centered.</li>
 * <li>{@code NTK}: every Linear/Conv2d (readout included) divides by √fan_in; output centered and divided
 *     by γ0. Here γ0 is the paper's γ itself, fixed as the width grows.</li>
 * <li>{@code MUP}: hidden layers divide by √fan_in, the readout by its fan_in (mean-field); output
 *     centered and divided by γ0. This equals NTK with γ = γ0·√N, N the readout's fan-in.</li>
 * </ul>
 * Conv fan_in is the number of input channels (see {@link LayerScaling}); centering is a frozen copy
 * of the initial network (see {@link Centering}), so f ≡ 0 at initialization. Learning rates:
 * {@link #learningRate}. Spec text: "standard", "ntk:gamma0=1", "mup:gamma0=0.01" (γ0 defaults to 1).
 */
public record Parameterization(Kind kind, double gamma0) {
    /** Below this γ0, {@link #autoDtype()} picks F64 (the reference code's switch to double). */
    public static final double F64_BELOW_GAMMA0 = 1e-2;

    /** The three parameterizations. */
    public enum Kind {
        STANDARD, NTK, MUP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Parameterization STANDARD = new Parameterization(Kind.STANDARD, 1);

    public Parameterization {
        java.util.Objects.requireNonNull(kind, "Parameterization: kind");
        if (!(gamma0 > 0) || !Double.isFinite(gamma0)) {
            throw new IllegalArgumentException("parameterization " + kind.label() + ": gamma0 must be finite and > 0, got "
                    + gamma0);
        }
    }

    public static Parameterization ntk(double gamma0) {
        return new Parameterization(Kind.NTK, gamma0);
    }

    public static Parameterization mup(double gamma0) {
        return new Parameterization(Kind.MUP, gamma0);
    }

    /** "standard", "ntk", "ntk:gamma0=1", "mup:gamma0=0.01" (case-insensitive kind; γ0 defaults to 1). */
    public static Parameterization parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("parameterization: empty spec (expected standard, ntk:gamma0=G or mup:gamma0=G)");
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        String name = (colon < 0 ? t : t.substring(0, colon)).trim();
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.label().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("parameterization '" + text + "': unknown kind '" + name
                        + "' (known: standard, ntk, mup)"));
        double gamma0 = 1;
        if (colon >= 0) {
            String options = t.substring(colon + 1).trim();
            if (options.isEmpty()) {
                throw new IllegalArgumentException("parameterization '" + text + "': nothing after ':' (expected gamma0=G)");
            }
            boolean seen = false;
            for (String token : options.split(",", -1)) {
                int eq = token.indexOf('=');
                String key = eq < 0 ? token.trim() : token.substring(0, eq).trim();
                if (!key.equals("gamma0")) {
                    throw new IllegalArgumentException("parameterization '" + text + "': unknown key '" + key
                            + "' (known: gamma0)");
                }
                if (eq < 0 || eq == token.length() - 1) {
                    throw new IllegalArgumentException("parameterization '" + text + "': gamma0 needs a value, e.g. gamma0=0.01");
                }
                if (seen) {
                    throw new IllegalArgumentException("parameterization '" + text + "': gamma0 given twice");
                }
                seen = true;
                String v = token.substring(eq + 1).trim();
                try {
                    gamma0 = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("parameterization '" + text + "': bad gamma0 '" + v + "' (a number > 0)");
                }
                if (!(gamma0 > 0) || !Double.isFinite(gamma0)) {
                    throw new IllegalArgumentException("parameterization '" + text + "': gamma0 must be finite and > 0, got "
                            + v);
                }
            }
        }
        return new Parameterization(kind, gamma0);
    }

    /** The spec text; {@code parse(spec())} equals this ("standard" when γ0 = 1). */
    public String spec() {
        if (kind == Kind.STANDARD && gamma0 == 1) {
            return "standard";
        }
        return kind.label() + ":gamma0=" + BigDecimal.valueOf(gamma0).stripTrailingZeros().toString();
    }

    /**
     * Builds zoo model {@code zooSpec} under this parameterization. STANDARD: {@code Zoo.build(zooSpec,
     * dtype, standardInit, seed)}, output divided by γ0 when γ0 ≠ 1. NTK/μP: weights, biases and
     * embeddings N(0, 1) ({@link InitScheme#UNIT}, norms at one and zero) drawn from {@code seed}, the
     * layer multipliers of {@link LayerScaling}, output (f_θ − f_θ0)/γ0 with a frozen initial copy;
     * {@code standardInit} is not used.
     */
    public Model build(String zooSpec, DType dtype, InitScheme standardInit, long seed) {
        if (kind == Kind.STANDARD) {
            Model m = Zoo.build(zooSpec, dtype, standardInit, seed);
            if (gamma0 != 1) {
                m.setOutputStage(new Centering(null, 1 / gamma0));
            }
            return m;
        }
        Model model = Model.build(scaled(zooSpec), dtype, InitScheme.UNIT, seed);
        Model frozen = null;
        try {
            // Filled by a copy, so no second round of Gaussian draws (ZEROS is a cheap constant fill); no
            // gradient block, since nothing trains it.
            frozen = Model.buildFrozen(scaled(zooSpec), dtype, InitScheme.ZEROS, seed);
            frozen.parameters().copyFrom(model.parameters());
            model.setOutputStage(new Centering(frozen, 1 / gamma0));
            return model;
        } catch (RuntimeException e) {
            if (frozen != null) {
                frozen.close();
            }
            model.close();
            throw e;
        }
    }

    private Module scaled(String zooSpec) {
        Module root = Zoo.parse(zooSpec);
        LayerScaling.apply(root, kind);
        return root;
    }

    /**
     * Plain-SGD learning rate for swept η0 on a network of hidden width N: μP N·η0 (the reference code's
     * lr = N·η0, which keeps the first-step change of the output at η0/γ0², independent of N); NTK and
     * STANDARD η0 unchanged (their per-step output change is already O(1) in N: a μP(γ0) run with
     * learning rate N·η0 is the NTK(γ = γ0·√N) run with learning rate N·η0).
     */
    public double learningRate(double eta0, int width) {
        if (!(eta0 >= 0) || !Double.isFinite(eta0)) {
            throw new IllegalArgumentException("learningRate: eta0 must be finite and >= 0, got " + eta0);
        }
        if (width < 1) {
            throw new IllegalArgumentException("learningRate: width must be >= 1, got " + width);
        }
        return kind == Kind.MUP ? width * eta0 : eta0;
    }

    /** F64 when γ0 &lt; {@link #F64_BELOW_GAMMA0} (1e-2, the reference code's switch), else F32. */
    public DType autoDtype() {
        return gamma0 < F64_BELOW_GAMMA0 ? DType.F64 : DType.F32;
    }

    /** The hidden width N of a zoo spec: the output size of its first Linear or Conv2d layer. */
    public static int width(String zooSpec) {
        return LayerScaling.width(Zoo.parse(zooSpec));
    }

    @Override
    public String toString() {
        return spec();
    }
}
