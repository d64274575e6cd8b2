package optlab.tensor.reference;

/**
 * The error function in double precision, written for clarity as the oracle of the vectorized GELU
 * (which uses a different method, a polynomial for exp(z²)·erfc(z), so the two check each other).
 * Below |x| = 1.5 the everywhere-positive series erf(x) = 2/√π·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3···(2n+1))
 * is used; above it the continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + ...)))),
 * which keeps erfc's relative accuracy in the far tail where 1 − erf(x) would cancel.
 * e^{−x²} is taken with x² split exactly (FMA) into p + δ, as e^{−p}·(1 − δ), so its rounding is not
 * amplified by exp in the far tail. Relative error is about 1e-15, up to ~1e-14 near x = 1.5 where
 * 1 − erf still cancels a little (checked against mpmath).
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
    /** Where the continued fraction takes over from the series. */
    private static final double SWITCH = 1.5;

    private Erf() {
    }

    static double erf(double x) {
        if (x < 0) {
            return -erf(-x);
        }
        return x < SWITCH ? series(x) : 1 - continuedFraction(x);
    }

    static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        return x < SWITCH ? 1 - series(x) : continuedFraction(x); // NaN takes the fraction: NaN
    }

    /** erf(x) for 0 ≤ x &lt; 1.5; all terms are positive, so there is no cancellation. */
    private static double series(double x) {
        double term = x, sum = x, twoX2 = 2 * x * x;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
    }

    /**
     * erfc(x) for x ≥ 1.5, evaluated from the tail of the fraction upwards; 0 for +∞. The fraction
     * converges faster the larger x is: 12 + 240/x² terms reach full double precision (checked
     * against mpmath on [1.5, 26]).
     */
    private static double continuedFraction(double x) {
        if (x == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double f = x;
        for (int k = 12 + (int) (240 / (x * x)); k >= 1; k--) {
            f = x + 0.5 * k / f;
        }
        return expMinusSquare(x) * INV_SQRT_PI / f;
    }

    /** e^{−x²}, with x² = p + δ exactly; 0 once e^{−p} underflows (also keeps δ finite for huge x). */
    private static double expMinusSquare(double x) {
        double p = x * x;
        if (p > 746) {
            return 0;
        }
        return Math.exp(-p) * (1 - Math.fma(x, x, -p));
    }
}
