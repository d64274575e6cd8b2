package optlab.optim.geometry;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * What {@link GeometryStep#cos} would be by chance: the cosine between a vector and a seeded random
 * Gaussian direction r ~ N(0, I_d). r/‖r‖ is uniform on the sphere, so for any fixed nonzero g the cosine
 * has mean 0 and variance exactly 1/d; a path's cos(g_t, w_t − w*) well above {@link #spread}(d) is
 * alignment no random direction shows.
 */
public final class RandomBaseline {
    private RandomBaseline() {
    }

    /**
     * cos(g, r) = ⟨g, r⟩ / (‖g‖‖r‖) for r drawn element by element from {@code new SplittableRandom(seed)}
     * (so the same seed gives the same direction for blocks of the same length). NaN when g = 0. The
     * direction is generated on the fly, not stored; g is a contiguous F32 or F64 tensor.
     */
    public static double cosine(Tensor g, long seed) {
        if (!g.isContiguous()) {
            throw new IllegalArgumentException("RandomBaseline: g must be a contiguous block, got strides "
                    + Arrays.toString(g.strides()));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        DType t = g.dtype();
        double gr = 0, gg = 0, rr = 0;
        for (long i = 0, n = g.numel(); i < n; i++) {
            double gi = t.get(g.segment(), g.offset() + i);
            double ri = rng.nextGaussian();
            gr += gi * ri;
            gg += gi * gi;
            rr += ri * ri;
        }
        return gg == 0 || rr == 0 ? Double.NaN : gr / (Math.sqrt(gg) * Math.sqrt(rr));
    }

    /** The standard deviation 1/√d of the chance cosine in d dimensions. */
    public static double spread(long d) {
        if (d <= 0) {
            throw new IllegalArgumentException("RandomBaseline: d must be positive, got " + d);
        }
        return 1 / Math.sqrt(d);
    }
}
