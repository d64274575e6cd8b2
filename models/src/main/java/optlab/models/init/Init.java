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
