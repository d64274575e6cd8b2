package optlab.experiments.data;

import java.util.SplittableRandom;

/**
 * Standard normal draws by Box–Muller. Written out (rather than {@code nextGaussian}) so that a seed gives the
 * same synthetic data on every JDK; optlab.tensor keeps its own copy internal.
 */
public final class Normal {
    private Normal() {
    }

    public static double next(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: the log stays finite
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
