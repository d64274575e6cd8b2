package optlab.experiments.analysis;

import java.util.ArrayList;
import java.util.List;
import optlab.optim.GradientOracle;
import optlab.optim.geometry.HessianTop;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * η_max(γ) of the {@link GammaToy} measured by GD over a log grid of γ, beside the closed form, with power-law
 * fits on each side of γ = 1.
 *
 * <p>For each γ two thresholds are measured: {@code etaMax}, the largest η at which GD from w = 1 converges to
 * the minimum (log grid from the top then bisection, see {@link EtaMaxScan}), to compare with the closed form
 * 2/λ*; and {@code etaBlowUp}, the largest η on an upward grid from etaMax before the first run that blows up
 * (non-finite or |w| &gt; 1e100), the toy's analogue of the sweeps' divergence criterion. Slopes are fitted on
 * γ ≤ 1/margin and γ ≥ margin (margin 10 by default: one decade either side of γ = 1 is left out, where neither
 * asymptote holds).
 *
 * @param depth      L
 * @param gammaMin   smallest γ of the grid
 * @param gammaMax   largest γ
 * @param perDecade  γ grid points per decade
 * @param maxSteps   GD step budget per run; runs near the edge converge slowly (rate 1 − ηλ*), so the measured
 *                   etaMax sits about 20/maxSteps (relative) below the edge
 * @param tol        convergence tolerance on |f − y|
 * @param relTol     bisection stops when the bracket's ratio is below 1 + relTol
 * @param fitMargin  γ excluded around 1 from the fits: fits use γ ≤ 1/fitMargin and γ ≥ fitMargin
 * @param confidence confidence level of the slopes' intervals
 */
public record GammaToyStudy(int depth, double gammaMin, double gammaMax, int perDecade, int maxSteps, double tol,
        double relTol, double fitMargin, double confidence) {
    /** η scan range: wide enough for η_max from γ = 1e-7 (≈ 1e-14) to γ = 1e7 at every depth. */
    static final double ETA_LO = 1e-18;
    static final double ETA_HI = 1e9;
    /** Grid of the η scans (points per decade). */
    static final int ETA_PER_DECADE = 4;
    static final int BLOW_UP_PER_DECADE = 40;

    public GammaToyStudy {
        if (depth < 1) {
            throw new IllegalArgumentException("gamma-toy: depth must be at least 1, got " + depth);
        }
        if (!(gammaMin > 0 && gammaMax > gammaMin && Double.isFinite(gammaMax)) || gammaMin < 1e-7 || gammaMax > 1e7) {
            throw new IllegalArgumentException("gamma-toy: need 1e-7 <= gammaMin < gammaMax <= 1e7, got " + gammaMin + ", " + gammaMax);
        }
        if (perDecade < 1 || maxSteps < 100 || !(tol > 0) || !(relTol > 0) || !(fitMargin >= 1) || !(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("gamma-toy: need perDecade >= 1, maxSteps >= 100, tol > 0, relTol > 0, fitMargin >= 1"
                    + " and confidence in (0, 1), got " + perDecade + ", " + maxSteps + ", " + tol + ", " + relTol + ", " + fitMargin
                    + ", " + confidence);
        }
    }

    /** Defaults: γ ∈ [1e-5, 1e5], 4 per decade, 100 000 steps, tol 1e-9, bisection to 1e-5, margin 10, 95%. */
    public static GammaToyStudy defaults(int depth) {
        return new GammaToyStudy(depth, 1e-5, 1e5, 4, 100_000, 1e-9, 1e-5, 10, 0.95);
    }

    public GammaToyStudy withGammaRange(double min, double max, int perDec) {
        return new GammaToyStudy(depth, min, max, perDec, maxSteps, tol, relTol, fitMargin, confidence);
    }

    public GammaToyStudy withMaxSteps(int steps) {
        return new GammaToyStudy(depth, gammaMin, gammaMax, perDecade, steps, tol, relTol, fitMargin, confidence);
    }

    /**
     * One γ: measured thresholds, the closed form, how many GD runs it took, and λ_max, the top Hessian eigenvalue
     * (power iteration on finite-difference Hessian–vector products, {@link HessianTop}) at the minimum GD reached
     * with η = etaMax/2: the paper's η_max ≈ 2/λ_max holds exactly here, η_max·λ_max = 2.
     */
    public record Point(double gamma, double etaMax, double etaMaxClosedForm, double etaBlowUp, int runs, double lambdaMax) {
        /** etaMax / closed form − 1. */
        public double relativeError() {
            return etaMax / etaMaxClosedForm - 1;
        }
    }

    /** The study's outcome; fits are null where a side has fewer than 3 points. */
    public record Result(GammaToyStudy study, List<Point> points, PowerLawFit small, PowerLawFit large,
            PowerLawFit blowUpSmall, PowerLawFit blowUpLarge, PowerLawFit lambdaSmall, PowerLawFit lambdaLarge,
            double seconds) {
        public double[] gammas() {
            return points.stream().mapToDouble(Point::gamma).toArray();
        }

        public double[] etaMax() {
            return points.stream().mapToDouble(Point::etaMax).toArray();
        }

        public double[] closedForm() {
            return points.stream().mapToDouble(Point::etaMaxClosedForm).toArray();
        }

        public double[] etaBlowUp() {
            return points.stream().mapToDouble(Point::etaBlowUp).toArray();
        }

        public double[] lambdaMax() {
            return points.stream().mapToDouble(Point::lambdaMax).toArray();
        }

        /** Largest |etaMax / closed form − 1| over the grid. */
        public double maxRelativeError() {
            return points.stream().mapToDouble(p -> Math.abs(p.relativeError())).max().orElse(Double.NaN);
        }
    }

    /** The γ grid: 10^(k/perDecade) for every k with gammaMin ≤ γ ≤ gammaMax. */
    public double[] gammaGrid() {
        int k0 = (int) Math.ceil(Math.log10(gammaMin) * perDecade - 1e-9);
        int k1 = (int) Math.floor(Math.log10(gammaMax) * perDecade + 1e-9);
        double[] g = new double[Math.max(0, k1 - k0 + 1)];
        for (int k = k0; k <= k1; k++) {
            g[k - k0] = Math.pow(10, (double) k / perDecade);
        }
        return g;
    }

    /** Measures one γ. */
    public Point measure(double gamma) {
        GammaToy toy = GammaToy.of(depth, gamma);
        EtaMaxScan.Edge conv = EtaMaxScan.largestPassing(
                eta -> toy.train(eta, maxSteps, tol) == GammaToy.Outcome.CONVERGED, ETA_LO, ETA_HI, ETA_PER_DECADE, relTol);
        if (!conv.found() || conv.censored()) {
            throw new IllegalStateException("gamma-toy: no convergence edge in eta ∈ [" + ETA_LO + ", " + ETA_HI + "] at gamma="
                    + gamma + " (depth " + depth + ")");
        }
        EtaMaxScan.Edge blow = EtaMaxScan.lastPassingAbove(
                eta -> toy.train(eta, maxSteps, tol) != GammaToy.Outcome.BLEW_UP, conv.eta(), ETA_HI, BLOW_UP_PER_DECADE);
        return new Point(gamma, conv.eta(), toy.closedFormEtaMax(), blow.eta(), conv.trials() + blow.trials(),
                lambdaAtMinimum(toy, conv.eta() / 2));
    }

    /** λ_max at the minimum GD reaches with step {@code eta} (which converges: it is below the measured edge). */
    double lambdaAtMinimum(GammaToy toy, double eta) {
        double[] d = new double[depth];
        if (toy.train(eta, maxSteps, tol, d) != GammaToy.Outcome.CONVERGED) {
            throw new IllegalStateException("gamma-toy: GD at eta=" + eta + " (half the measured edge) did not converge at gamma="
                    + toy.gamma());
        }
        try (Scope scope = Scope.open()) {
            Tensor w = scope.zeros(DType.F64, depth);
            for (int l = 0; l < depth; l++) {
                w.setFlat(l, 1 + d[l]);
            }
            double[] wArr = new double[depth];
            double[] g = new double[depth];
            GradientOracle oracle = (params, out) -> {
                for (int l = 0; l < depth; l++) {
                    wArr[l] = params.getFlat(l);
                }
                toy.gradient(wArr, g);
                for (int l = 0; l < depth; l++) {
                    out.setFlat(l, g[l]);
                }
            };
            return HessianTop.powerIteration(oracle, w, 200, 1e-10, 17).eigenvalue();
        }
    }

    /** Measures every γ of the grid and fits both sides. */
    public Result run() {
        long t0 = System.nanoTime();
        List<Point> points = new ArrayList<>();
        for (double g : gammaGrid()) {
            points.add(measure(g));
        }
        double[] g = points.stream().mapToDouble(Point::gamma).toArray();
        double[] e = points.stream().mapToDouble(Point::etaMax).toArray();
        double[] b = points.stream().mapToDouble(Point::etaBlowUp).toArray();
        double[] l = points.stream().mapToDouble(Point::lambdaMax).toArray();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(this, List.copyOf(points), side(g, e, true), side(g, e, false), side(g, b, true), side(g, b, false),
                side(g, l, true), side(g, l, false), seconds);
    }

    private PowerLawFit side(double[] g, double[] eta, boolean small) {
        double lo = small ? 0 : fitMargin;
        double hi = small ? 1 / fitMargin : Double.POSITIVE_INFINITY;
        int n = 0;
        for (double v : g) {
            if (v >= lo && v <= hi) {
                n++;
            }
        }
        return n >= 3 ? PowerLawFit.fitInRange(g, eta, lo, hi, confidence) : null;
    }
}
