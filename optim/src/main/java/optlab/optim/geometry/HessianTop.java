package optlab.optim.geometry;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.optim.GradientOracle;
import optlab.tensor.DType;
import optlab.tensor.Gaussian;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The Hessian eigenvalue of largest magnitude (with its sign) of a loss, by power iteration on
 * Hessian–vector products, at the current parameters (e.g. the end of training: the sharpness λ_max that
 * η &lt; 2/λ_max bounds).
 *
 * <h2>Hessian–vector products by central differences of gradients</h2>
 * The autodiff has no double backward, so Hv = (∇ℓ(θ + t v) − ∇ℓ(θ − t v)) / (2t) + O(t²) for a unit vector v:
 * exact for a quadratic loss, with a truncation error of order t²·‖∇³ℓ‖ otherwise and a rounding error of
 * order ε·‖∇ℓ‖/t, where ε is the unit roundoff of the gradient's dtype. Balancing the two gives t ∝ ε^(1/3);
 * we take {@code t = relStep · ε^(1/3) · max(‖θ‖₂, √n)} (default relStep = 1), i.e. a per-coordinate RMS
 * perturbation of ε^(1/3)·max(rms θ, 1): about 6e-6 relative in F64 and 5e-3 in F32. The gradient is
 * evaluated in the parameters' own dtype (F64 runs get F64 differences); the iteration vectors, the
 * differences and the Rayleigh quotients are kept in double. For F32 parameters θ ± t v is rounded to float
 * when written: the perturbation actually applied differs from t v by at most half an ulp of θ per
 * coordinate, about 1e-5 of the step at the default size, which bounds the error it adds to Hv.
 *
 * <h2>Iteration</h2>
 * v₀ is a seeded Gaussian direction; each step computes w = H v_k, the Rayleigh quotient λ_k = v_kᵀ w and
 * v_{k+1} = w/‖w‖. The quotient converges to the eigenvalue of largest |λ| (negative ones included: v then
 * flips sign every step, λ_k does not) at the rate |λ₂/λ₁|. It stops when |λ_k − λ_{k−1}| ≤ tol·|λ_k| or
 * after {@code iters} steps; each step costs two gradients. The parameters are restored exactly afterwards.
 */
public final class HessianTop {
    private HessianTop() {
    }

    /**
     * The outcome.
     *
     * @param eigenvalue   the Rayleigh quotient at the last step: estimate of the eigenvalue of largest |λ|
     * @param iterations   power steps taken (Hessian–vector products; twice as many gradients)
     * @param converged    whether the relative change fell under the tolerance
     * @param residual     ‖H v − λ v‖ / |λ| at the last step (0 for an exact eigenvector; NaN when λ = 0)
     * @param step         the finite-difference step t used
     * @param vector       the last unit iterate v (the eigenvector estimate), in double
     */
    public record Result(double eigenvalue, int iterations, boolean converged, double residual, double step,
            double[] vector) {
    }

    /** Power iteration with the default finite-difference step (relStep = 1). */
    public static Result powerIteration(GradientOracle oracle, Tensor params, int iters, double tol, long seed) {
        return powerIteration(oracle, params, iters, tol, seed, 1.0);
    }

    /**
     * Power iteration on finite-difference Hessian–vector products of {@code oracle} at {@code params}, a
     * contiguous F32 or F64 block (temporarily perturbed, restored before returning).
     *
     * @param iters   maximum power steps, at least 1
     * @param tol     relative change of the eigenvalue estimate that counts as converged (0: run all iters)
     * @param seed    seed of the start direction
     * @param relStep multiplier of the default step ε^(1/3)·max(‖θ‖₂, √n), positive
     */
    public static Result powerIteration(GradientOracle oracle, Tensor params, int iters, double tol, long seed,
            double relStep) {
        check(oracle, params, iters, tol, relStep);
        int n = Math.toIntExact(params.numel());
        DType dtype = params.dtype();
        double[] theta = read(params, n);
        double norm2 = 0;
        for (double x : theta) {
            norm2 += x * x;
        }
        double eps = dtype == DType.F64 ? 0x1p-53 : 0x1p-24;
        double t = relStep * Math.cbrt(eps) * Math.max(Math.sqrt(norm2), Math.sqrt(n));

        double[] v = new double[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            v[i] = Gaussian.next(rng);
        }
        normalize(v);
        double[] w = new double[n];
        double lambda = Double.NaN;
        double residual = Double.NaN;
        boolean converged = false;
        int k = 0;
        try (Scope scope = Scope.open()) {
            Tensor gPlus = scope.zeros(dtype, params.shape());
            Tensor gMinus = scope.zeros(dtype, params.shape());
            while (k < iters) {
                hvp(oracle, params, theta, v, t, gPlus, gMinus, w);
                k++;
                double rq = dot(v, w);
                double r2 = 0;
                for (int i = 0; i < n; i++) {
                    double d = w[i] - rq * v[i];
                    r2 += d * d;
                }
                residual = rq != 0 ? Math.sqrt(r2) / Math.abs(rq) : Double.NaN;
                double prev = lambda;
                lambda = rq;
                double wn = Math.sqrt(dot(w, w));
                if (!Double.isFinite(wn) || !Double.isFinite(rq)) {
                    throw new IllegalStateException("HessianTop: non-finite Hessian–vector product at step " + k
                            + " (the gradient oracle returned NaN/Inf near the parameters)");
                }
                if (wn == 0) { // H v = 0: v lies in the null space; λ = 0 is the honest answer for this start
                    converged = true;
                    break;
                }
                if (k > 1 && Math.abs(lambda - prev) <= tol * Math.abs(lambda)) {
                    converged = true;
                    break;
                }
                for (int i = 0; i < n; i++) {
                    v[i] = w[i] / wn;
                }
            }
        } finally {
            write(params, theta);
        }
        return new Result(lambda, k, converged, residual, t, v);
    }

    /**
     * One finite-difference Hessian–vector product: {@code out} = (g(θ + t v) − g(θ − t v)) / (2t) with
     * θ = {@code theta}; leaves θ ± t v in {@code params} (the caller restores θ).
     */
    static void hvp(GradientOracle oracle, Tensor params, double[] theta, double[] v, double t, Tensor gPlus,
            Tensor gMinus, double[] out) {
        int n = theta.length;
        MemorySegment seg = params.segment();
        DType dtype = params.dtype();
        long off = params.offset();
        for (int i = 0; i < n; i++) {
            dtype.set(seg, off + i, theta[i] + t * v[i]);
        }
        oracle.gradient(params, gPlus);
        for (int i = 0; i < n; i++) {
            dtype.set(seg, off + i, theta[i] - t * v[i]);
        }
        oracle.gradient(params, gMinus);
        MemorySegment sp = gPlus.segment();
        MemorySegment sm = gMinus.segment();
        long op = gPlus.offset();
        long om = gMinus.offset();
        double inv = 1 / (2 * t);
        for (int i = 0; i < n; i++) {
            out[i] = (dtype.get(sp, op + i) - dtype.get(sm, om + i)) * inv;
        }
    }

    private static void check(GradientOracle oracle, Tensor params, int iters, double tol, double relStep) {
        if (oracle == null || params == null) {
            throw new NullPointerException("HessianTop.powerIteration: oracle and params must not be null");
        }
        if (!params.isContiguous()) {
            throw new IllegalArgumentException("HessianTop.powerIteration: params must be a contiguous block, got a strided view "
                    + params.dtype() + Arrays.toString(params.shape()) + " with strides " + Arrays.toString(params.strides()));
        }
        if (params.numel() == 0) {
            throw new IllegalArgumentException("HessianTop.powerIteration: params is empty " + Arrays.toString(params.shape()));
        }
        if (iters < 1) {
            throw new IllegalArgumentException("HessianTop.powerIteration: iters must be at least 1, got " + iters);
        }
        if (!(tol >= 0) || !(relStep > 0 && Double.isFinite(relStep))) {
            throw new IllegalArgumentException("HessianTop.powerIteration: need tol >= 0 and a finite relStep > 0, got tol="
                    + tol + ", relStep=" + relStep);
        }
    }

    private static double[] read(Tensor params, int n) {
        double[] out = new double[n];
        MemorySegment seg = params.segment();
        long off = params.offset();
        for (int i = 0; i < n; i++) {
            out[i] = params.dtype().get(seg, off + i);
        }
        return out;
    }

    /** Writes back the saved values: exact for F32 too (they were read from floats). */
    private static void write(Tensor params, double[] theta) {
        MemorySegment seg = params.segment();
        long off = params.offset();
        for (int i = 0; i < theta.length; i++) {
            params.dtype().set(seg, off + i, theta[i]);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void normalize(double[] v) {
        double nrm = Math.sqrt(dot(v, v));
        for (int i = 0; i < v.length; i++) {
            v[i] /= nrm;
        }
    }
}
