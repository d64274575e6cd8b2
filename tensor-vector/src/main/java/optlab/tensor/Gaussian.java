package optlab.tensor;

import java.util.SplittableRandom;

/**
 * Standard normal samples by the Box–Muller transform: the one sampler behind {@link Scope#randn}, the
 * models' normal initializers, the synthetic data sets and the Hessian probe's start vector. Written out
 * (rather than {@code nextGaussian}) so that a seed gives the same draws on every JDK. Each call takes
 * two uniforms and returns the cosine branch only, so draws are a pure function of the generator's state.
 */
public final class Gaussian {
    private Gaussian() {
    }

    /** One N(0, 1) draw: √(−2 ln u₁)·cos(2π u₂) with u₁ = 1 − U in (0, 1] (so the log stays finite), u₂ = U. */
    public static double next(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
