package optlab.tensor;

import java.util.SplittableRandom;

/** Standard normal samples by the Box–Muller transform; stable across JDK versions, unlike nextGaussian. */
final class Gaussian {
    private Gaussian() {
    }

    static double next(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log stays finite
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
