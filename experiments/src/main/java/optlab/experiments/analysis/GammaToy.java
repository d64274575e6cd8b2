package optlab.experiments.analysis;

/**
 * The scalar toy model of the γ paper (Atanasov, Meterez, Simon, Pehlevan, ICLR 2025, section 4): a depth-L
 * product of scalar weights whose output is centred at initialization and scaled by 1/γ,
 *
 * <pre>
 *   f(w) = (w_1 w_2 ⋯ w_L − 1) / γ,    w_ℓ(0) = 1,    loss ℓ(w) = ½ (f(w) − y)²,
 * </pre>
 *
 * trained by full-batch gradient descent {@code w ← w − η ∇ℓ(w)} towards a constant target y (default 1).
 * The "− 1" subtracts the initial product, as the paper's networks subtract a frozen copy of themselves, so
 * f = 0 at initialization for every γ: small γ (lazy) needs the weights to move only by about γ/L, large γ
 * (rich) needs the product to grow from 1 to 1 + γy.
 *
 * <h2>Closed form of η_max</h2>
 * All weights start equal and receive identical gradients, so they stay equal (up to rounding): w_ℓ = u for
 * all ℓ and GD is the one-dimensional map
 * <pre>
 *   u ↦ u − (η/γ) e(u) u^(L−1),    e(u) = (u^L − 1)/γ − y.
 * </pre>
 * Its fixed points are the global minima u*^L = z* := 1 + γy (one root, or ± for even L). There the loss
 * Hessian is the Gauss–Newton term ∇f ∇fᵀ, of rank one, with top eigenvalue
 * <pre>
 *   λ* = |∇f|² = Σ_ℓ (∏_{k≠ℓ} w_k)² / γ² = L z*^(2 − 2/L) / γ²,
 * </pre>
 * and the map's multiplier at u* is 1 − η λ*. GD can converge to the minimum only if |1 − ηλ*| &lt; 1:
 * <pre>
 *   η_max(γ) = 2/λ* = 2 γ² / (L (1 + γy)^(2 − 2/L)),
 * </pre>
 * so η_max ≈ 2γ²/L for γ ≪ 1 (slope 2 in log-log: the lazy, NTK-like regime where the Hessian is the fixed
 * kernel L/γ²) and η_max ≈ 2 y^(2/L − 2) γ^(2/L)/L for γ ≫ 1 (slope 2/L: the rich regime where the weights
 * grow to (γy)^(1/L) and sharpen the landscape as they do). Stability of the fixed point is necessary; that GD
 * from w = 1 does converge for every η below it is what {@link EtaMaxScan} checks numerically, and it does
 * (to the scan's resolution, see the tests). Above η_max GD oscillates around the minimum and, further up,
 * blows up to infinity; the blow-up threshold has no such closed form (for L = 2 it is 2 η_max, for L = 3 the
 * set of η that stay bounded is not even an interval).
 *
 * @param depth  L ≥ 1, the number of scalar factors
 * @param gamma  γ &gt; 0, the output scale 1/γ (feature-learning strength)
 * @param target y, with 1 + γy &gt; 0 so that a real minimum exists
 */
public record GammaToy(int depth, double gamma, double target) {

    /** How a GD run ended. */
    public enum Outcome {
        /** |f − y| fell below the tolerance and stayed there: the run reached the global minimum. */
        CONVERGED,
        /** Still finite at the end of the step budget but not converged (oscillating around the minimum). */
        BOUNDED,
        /** A non-finite value or weights beyond {@link #BLOW_UP}: the run diverged. */
        BLEW_UP
    }

    /** |w| beyond this (far past any minimum, whose |w| is (1 + γy)^(1/L)) counts as blowing up. */
    static final double BLOW_UP = 1e100;
    /** Steps |f − y| must stay under the tolerance: a chaotic orbit grazing the minimum does not count. */
    static final int SETTLE = 10;

    public GammaToy {
        if (depth < 1) {
            throw new IllegalArgumentException("GammaToy: depth must be at least 1, got " + depth);
        }
        if (!(gamma > 0 && Double.isFinite(gamma))) {
            throw new IllegalArgumentException("GammaToy: gamma must be finite and positive, got " + gamma);
        }
        if (!(Double.isFinite(target) && 1 + gamma * target > 0)) {
            throw new IllegalArgumentException("GammaToy: need a finite target with 1 + gamma*target > 0 (a real minimum), got gamma="
                    + gamma + ", target=" + target);
        }
    }

    /** The paper's setting: target y = 1. */
    public static GammaToy of(int depth, double gamma) {
        return new GammaToy(depth, gamma, 1.0);
    }

    /** The closed-form stability threshold 2/λ* = 2γ² / (L (1 + γy)^(2 − 2/L)) (see the class comment). */
    public double closedFormEtaMax() {
        return 2 / minimumSharpness();
    }

    /** λ*, the top Hessian eigenvalue at the (balanced) global minimum: L (1 + γy)^(2 − 2/L) / γ². */
    public double minimumSharpness() {
        double z = 1 + gamma * target;
        return depth * Math.pow(z, 2 - 2.0 / depth) / (gamma * gamma);
    }

    /** Initial weights: all ones (f = 0). */
    public double[] init() {
        double[] w = new double[depth];
        java.util.Arrays.fill(w, 1.0);
        return w;
    }

    /** The output f(w) = (∏ w − 1)/γ. */
    public double output(double[] w) {
        checkLength(w);
        double p = 1;
        for (double v : w) {
            p *= v;
        }
        return (p - 1) / gamma;
    }

    /** The loss ½ (f(w) − y)². */
    public double loss(double[] w) {
        double e = output(w) - target;
        return 0.5 * e * e;
    }

    /**
     * Writes ∇ℓ(w) into {@code grad} and returns the residual f − y. The products ∏_{k≠ℓ} w_k come from prefix
     * and suffix products (no division, so a zero weight is fine).
     */
    public double gradient(double[] w, double[] grad) {
        checkLength(w);
        checkLength(grad);
        int n = depth;
        // grad[ℓ] = prefix product ∏_{k<ℓ} w_k first, then times the suffix ∏_{k>ℓ} w_k.
        double p = 1;
        for (int l = 0; l < n; l++) {
            grad[l] = p;
            p *= w[l];
        }
        double e = (p - 1) / gamma - target;
        double s = e / gamma;
        for (int l = n - 1; l >= 0; l--) {
            grad[l] *= s;
            s *= w[l];
        }
        return e;
    }

    /**
     * Runs GD with step {@code eta} from {@link #init()} for at most {@code maxSteps} steps. Converged means
     * |f − y| ≤ {@code tol}·max(1, |y|) for {@value #SETTLE} consecutive steps.
     */
    public Outcome train(double eta, int maxSteps, double tol) {
        return train(eta, maxSteps, tol, new double[depth]);
    }

    /** As {@link #train(double, int, double)}, leaving the last weights' deviations w − 1 in {@code deviationOut}. */
    public Outcome train(double eta, int maxSteps, double tol, double[] deviationOut) {
        checkLength(deviationOut);
        if (!(eta > 0 && Double.isFinite(eta))) {
            throw new IllegalArgumentException("GammaToy.train: eta must be finite and positive, got " + eta);
        }
        if (maxSteps < 1 || !(tol > 0)) {
            throw new IllegalArgumentException("GammaToy.train: need maxSteps >= 1 and tol > 0, got " + maxSteps + ", " + tol);
        }
        // Weights as deviations d = w − 1 from the initialization: at small γ the minimum is only γ/L away, and
        // (∏ w − 1)/γ from the raw product would lose all but log10(1/γ) of its digits (noise of ulp(1)·L/γ in
        // f − y, which near the edge GD amplifies by 1/(1 − |1 − ηλ|) and never settles under the tolerance).
        double[] d = deviationOut;
        java.util.Arrays.fill(d, 0);
        double[] g = new double[depth];
        double bound = tol * Math.max(1, Math.abs(target));
        int settled = 0;
        for (int t = 0; t < maxSteps; t++) {
            double e = gradientAtDeviation(d, g);
            if (!Double.isFinite(e)) {
                return Outcome.BLEW_UP;
            }
            settled = Math.abs(e) <= bound ? settled + 1 : 0;
            if (settled >= SETTLE) {
                return Outcome.CONVERGED;
            }
            for (int l = 0; l < depth; l++) {
                d[l] -= eta * g[l];
                if (!(Math.abs(d[l]) < BLOW_UP)) { // also catches NaN
                    return Outcome.BLEW_UP;
                }
            }
        }
        return Outcome.BOUNDED;
    }

    /**
     * {@link #gradient} at w = 1 + d, with ∏ w − 1 = expm1(Σ log1p d_ℓ) while every w_ℓ &gt; 0 (relative accuracy
     * near 1e-16 however close to 1 the product is), else the plain product.
     */
    double gradientAtDeviation(double[] d, double[] grad) {
        int n = depth;
        double p = 1;
        double logSum = 0;
        boolean positive = true;
        for (int l = 0; l < n; l++) {
            grad[l] = p;
            double w = 1 + d[l];
            p *= w;
            if (w > 0) {
                logSum += Math.log1p(d[l]);
            } else {
                positive = false;
            }
        }
        double e = (positive ? Math.expm1(logSum) : p - 1) / gamma - target;
        double s = e / gamma;
        for (int l = n - 1; l >= 0; l--) {
            grad[l] *= s;
            s *= 1 + d[l];
        }
        return e;
    }

    private void checkLength(double[] a) {
        if (a.length != depth) {
            throw new IllegalArgumentException("GammaToy: expected " + depth + " weights (depth), got " + a.length);
        }
    }
}
