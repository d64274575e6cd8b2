package optlab.models.init;

import java.util.function.DoubleSupplier;
import optlab.tensor.Gaussian;
import optlab.tensor.Tensor;

/**
 * The initializers as small named functions. Fan-in follows PyTorch: in_features for a Linear
 * weight [out, in], in_channels·kh·kw for a Conv2d weight [out, in, kh, kw]. Values are drawn in the
 * tensor's row-major element order, so a given generator state always yields the same tensor.
 */
public final class Init {
    private Init() {
    }

    /** U(−bound, bound). */
    public static Initializer uniform(double bound) {
        requireFinite("uniform", "bound", bound);
        return (t, rng) -> fill(t, () -> (2 * rng.nextDouble() - 1) * bound);
    }

    /** N(0, std²), by {@link Gaussian} (Box–Muller, stable across JDKs, unlike nextGaussian). */
    public static Initializer normal(double std) {
        requireFinite("normal", "std", std);
        return (t, rng) -> fill(t, () -> std * Gaussian.next(rng));
    }

    public static Initializer constant(double value) {
        return (t, rng) -> fill(t, () -> value);
    }

    public static Initializer zeros() {
        return constant(0);
    }

    public static Initializer ones() {
        return constant(1);
    }

    /**
     * torch.nn.init.kaiming_uniform_(mode='fan_in', nonlinearity='leaky_relu', a): U(−b, b) with
     * b = gain·√(3/fan_in), gain = √(2/(1 + a²)). PyTorch's Linear and Conv2d use a = √5, which gives
     * b = 1/√fan_in.
     */
    public static Initializer kaimingUniform(double a, int fanIn) {
        double gain = Math.sqrt(2.0 / (1 + a * a));
        return uniform(gain * Math.sqrt(3.0 / positive("kaimingUniform", fanIn)));
    }

    /** PyTorch's default Linear/Conv2d weight: kaiming_uniform(a = √5), i.e. U(−1/√fan_in, 1/√fan_in). */
    public static Initializer torchDefaultWeight(int fanIn) {
        return kaimingUniform(Math.sqrt(5), fanIn);
    }

    /** PyTorch's default Linear/Conv2d bias: U(−1/√fan_in, 1/√fan_in) with the weight's fan-in. */
    public static Initializer torchDefaultBias(int fanIn) {
        return uniform(1 / Math.sqrt(positive("torchDefaultBias", fanIn)));
    }

    /** He normal, kaiming_normal_(mode='fan_in', nonlinearity='relu'): N(0, 2/fan_in). */
    public static Initializer heNormal(int fanIn) {
        return normal(Math.sqrt(2.0 / positive("heNormal", fanIn)));
    }

    /** Gaussian with std 1/√fan_in (LeCun normal; the standard parameterization's N(0, 1/n)). */
    public static Initializer gaussianFanIn(int fanIn) {
        return normal(1 / Math.sqrt(positive("gaussianFanIn", fanIn)));
    }

    /** U(lo, hi), lo ≤ hi. */
    public static Initializer uniform(double lo, double hi) {
        requireFinite("uniform", "lo", Math.abs(lo));
        requireFinite("uniform", "hi", Math.abs(hi));
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("uniform: lo must be <= hi, got " + lo + " > " + hi);
        }
        return (t, rng) -> fill(t, () -> lo + (hi - lo) * rng.nextDouble());
    }

    /** Distance-layer centroids U[0.5, 0.8], as Kurbiel and Khaleghian's code (NN_DMGA, InitializeWeights.m). */
    public static Initializer distanceCentroids() {
        return uniform(0.5, 0.8);
    }

    /**
     * Distance-layer widths Θ = f·(1 + 0.4·N(0, 1)) with f = √(2·ln 10 / fan_in), as Kurbiel and
     * Khaleghian's code. Why this f: unit j's z/2 = ½ Σ_i Θ_ji²·(a_i − C_ji)² ≈ ½·Σ_i Θ_ji²·E[(a − C)²],
     * and E[Σ_i Θ_ji²] = fan_in·f²·(1 + 0.4²) = 1.16·2·ln 10, so z/2 ≈ 1.16·ln 10·E[(a − C)²]: a unit
     * whose inputs sit at mean squared distance ≈ 1 from its centroid starts at exp(−z/2) ≈ 0.1 (the
     * code's {@code log(1/0.1)}), whatever the fan-in. For inputs in [0, 1] and C ~ U[0.5, 0.8] the
     * mean squared distance is smaller (0.11 for uniform inputs, ≈ 0.35 for MNIST-like mostly-zero
     * pixels), so first activations start higher: ≈ 0.74 for uniform inputs (DistanceNetTest), 0.33 to
     * 0.43 for MNIST-like ones (z in [1.70, 2.22], measured in the tensor module's DistanceLayerTest),
     * well inside the Gaussian's sensitive range rather than at 0.1. A width's sign does not matter
     * (only Θ² enters).
     */
    public static Initializer distanceWidths(int fanIn) {
        double f = Math.sqrt(2 * Math.log(10) / positive("distanceWidths", fanIn));
        return (t, rng) -> fill(t, () -> f * (1 + 0.4 * Gaussian.next(rng)));
    }

    /**
     * RBF radii r = 1/f = √(fan_in / (2·ln 10)): the distance layer's mean width f shared by all of a
     * unit's inputs (1/r² = f²), so z/2 = ln 10·mean_i (a_i − c_ji)² as for {@link #distanceWidths}
     * without its 0.4 spread (a spread on r would put units with r near 0 at z → ∞).
     */
    public static Initializer rbfRadii(int fanIn) {
        return constant(Math.sqrt(positive("rbfRadii", fanIn) / (2 * Math.log(10))));
    }

    /** Writes values in row-major order into any view (parameters are contiguous slices, so this is flat). */
    private static void fill(Tensor t, DoubleSupplier next) {
        if (t.isContiguous()) {
            var seg = t.segment();
            long off = t.offset();
            for (long i = 0, n = t.numel(); i < n; i++) {
                t.dtype().set(seg, off + i, next.getAsDouble());
            }
        } else {
            for (long i = 0, n = t.numel(); i < n; i++) {
                t.setFlat(i, next.getAsDouble());
            }
        }
    }

    private static int positive(String init, int fanIn) {
        if (fanIn < 1) {
            throw new IllegalArgumentException(init + ": fan_in must be positive, got " + fanIn);
        }
        return fanIn;
    }

    private static void requireFinite(String init, String what, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(init + ": " + what + " must be finite and >= 0, got " + v);
        }
    }
}
