package optlab.tensor.cpu;

/**
 * Polynomials for the scaled complementary error function erfcx(z) = exp(z²)·erfc(z) on
 * 0 ≤ z ≤ Z_MAX, one per dtype, so vector code gets erfc(z) = exp(−z²)·erfcx(z) without branches or
 * table lookups. erfcx is smooth and bounded on [0, ∞); in the variable s = (17z/14 − 3)/(z + 3),
 * which maps [0, 28] onto [−1, 1], it is fitted by Chebyshev interpolation (degree 23, computed at
 * 50 digits with mpmath by src/test/resources/optlab/tensor/cpu/fit_erfcx.py) and converted to
 * monomials, whose coefficients stay below 0.35, so Horner's rule is well conditioned. Relative
 * error in double evaluation: 3e-15. Float needs less: erfc(z) for z &gt; 10 lies below float's
 * smallest normal number, so {@link F32} is a degree-11 fit on 0 ≤ z ≤ 10 (s = (1.6z − 3)/(z + 3),
 * same script, arguments 10 11): fit error 2.5e-9, relative error of float evaluation 8e-7, half the
 * Horner steps of the double fit, whose float evaluation is no more accurate.
 */
final class ErfcxPolynomial {
    private ErfcxPolynomial() {
    }

    /** The fit for double: degree 23 on [0, 28]. */
    static final class F64 {
        /** Upper end of the fit; erfc(28) ≈ 7e-343 is already 0 in double. */
        static final double Z_MAX = 28;
        /** s = (S_SLOPE·z + S_SHIFT) / (z + S_POLE). */
        static final double S_SLOPE = 17.0 / 14, S_SHIFT = -3, S_POLE = 3;
        /** Coefficients of s⁰, s¹, ... s²³. */
        static final double[] COEFFICIENTS = {
                0.21301482883722858,
                -0.3416524901734296,
                0.2393928136652031,
                -0.13279585209591316,
                0.055934905905702596,
                -0.016051562684678177,
                0.001971484153495603,
                0.000577704902623991,
                -0.0002692904073140788,
                -8.66524713172438e-06,
                2.6157296333784277e-05,
                -8.11604929215611e-07,
                -2.7992978810506922e-06,
                6.815313749442704e-08,
                3.392310693653356e-07,
                1.560026971907205e-08,
                -4.299863985560591e-08,
                -7.428982989479225e-09,
                5.026687116626579e-09,
                1.8406248466403579e-09,
                -4.5137113615370525e-10,
                -3.066714491641051e-10,
                2.1593117686662895e-11,
                2.718738816611403e-11
        };

        private F64() {
        }
    }

    /** The fit for float: degree 11 on [0, 10]. */
    static final class F32 {
        /** Upper end of the fit; erfc(10) ≈ 2e-45, the size of float's smallest subnormal. */
        static final double Z_MAX = 10;
        /** s = (S_SLOPE·z + S_SHIFT) / (z + S_POLE). */
        static final double S_SLOPE = 1.6, S_SHIFT = -3, S_POLE = 3;
        /** Coefficients of s⁰, s¹, ... s¹¹. */
        static final double[] COEFFICIENTS = {
                0.26942998529649453,
                -0.3595822019198647,
                0.22224638213865813,
                -0.10478652576315799,
                0.035992110106774465,
                -0.007836435085127484,
                0.00046144918769051494,
                0.0002859157485285787,
                -6.325967365561488e-05,
                -1.0752654074168155e-05,
                3.8294433313998985e-06,
                4.96055892416314e-07
        };

        private F32() {
        }
    }
}
