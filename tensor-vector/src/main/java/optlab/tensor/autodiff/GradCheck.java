package optlab.tensor.autodiff;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;

/**
 * Compares reverse-mode gradients with central finite differences (f(x + ε) − f(x − ε)) / 2ε, in
 * double precision, for a function of F64 inputs (plain tensors, or a layer's existing parameters
 * via {@link #checkParameters}). A non-scalar output y is reduced to the scalar
 * L = Σ r ⊙ y with a fixed random r (seeded as the backward pass's seed), which checks the whole
 * Jacobian against one random direction. Inputs larger than {@code maxPerInput} elements are checked
 * on a seeded random subset of their elements, so big shapes stay affordable.
 *
 * @param eps         finite-difference step
 * @param rtol        relative tolerance on max(|analytic|, |numeric|)
 * @param atol        absolute tolerance (finite differences lose about 1e-16·|L|/ε to rounding)
 * @param maxPerInput elements perturbed per input at most
 * @param seed        seed of the projection r and of the element subset
 */
public record GradCheck(double eps, double rtol, double atol, int maxPerInput, long seed) {

    /** ε = 1e-6, rtol = 1e-6, atol = 1e-7, at most 64 elements per input. */
    public static final GradCheck DEFAULT = new GradCheck(1e-6, 1e-6, 1e-7, 64, 42);

    /** A differentiable function of the inputs, built on the given graph. */
    @FunctionalInterface
    public interface Fn {
        Variable apply(Graph g, Variable[] inputs);
    }

    /** The worst element found: which input, its multi-index, both gradients and error/tolerance. */
    public record Result(int input, int[] index, double analytic, double numeric, double ratio, int checked) {
        public boolean ok() {
            return ratio <= 1;
        }

        @Override
        public String toString() {
            return "worst of " + checked + " elements: input " + input + " at " + Arrays.toString(index)
                    + ": autodiff " + analytic + ", finite difference " + numeric + " (error/tolerance " + ratio + ")";
        }
    }

    public GradCheck {
        if (!(eps > 0) || !(rtol >= 0) || !(atol >= 0) || maxPerInput < 1) {
            throw new IllegalArgumentException("GradCheck: need eps > 0, tolerances >= 0, maxPerInput >= 1");
        }
    }

    /** Checks and throws an {@link AssertionError} describing the worst element when it fails. */
    public Result verify(Backend backend, Fn f, Tensor... inputs) {
        return orFail(backend, check(backend, f, inputs));
    }

    /** {@link #checkParameters}, throwing an {@link AssertionError} when it fails. */
    public Result verifyParameters(Backend backend, Function<Graph, Variable> f, List<Variable> parameters) {
        return orFail(backend, checkParameters(backend, f, parameters));
    }

    /** Checks ∂f/∂inputs; the inputs are perturbed in place and restored. */
    public Result check(Backend backend, Fn f, Tensor... inputs) {
        try (Scope grads = Scope.open()) {
            Variable[] params = new Variable[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                params[i] = Variable.parameter(inputs[i], grads);
            }
            return checkParameters(backend, g -> f.apply(g, params), List.of(params));
        }
    }

    /**
     * Checks ∂f/∂p for existing parameters (e.g. a layer's): their gradients are zeroed first and hold
     * f's gradient afterwards; their values are perturbed in place and restored.
     */
    public Result checkParameters(Backend backend, Function<Graph, Variable> f, List<Variable> parameters) {
        for (Variable p : parameters) {
            if (!p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException("GradCheck: " + p + " is not a parameter");
            }
            requireDistinctF64(p.value());
            p.zeroGrad(backend);
        }
        try (BufferPool pool = new BufferPool(); Scope scope = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(seed);
            Tensor projection;
            try (Graph g = Graph.open(backend, pool)) {
                Variable out = f.apply(g);
                projection = out.value().numel() == 1
                        ? scope.full(DType.F64, 1.0, out.shape())
                        : scope.uniform(DType.F64, rng, -1, 1, out.shape());
                g.backward(out, projection);
            }
            Result worst = new Result(-1, new int[0], 0, 0, 0, 0);
            int checked = 0;
            for (int i = 0; i < parameters.size(); i++) {
                Tensor x = parameters.get(i).value(), grad = parameters.get(i).grad();
                for (long e : elements(x.numel(), rng)) {
                    double orig = x.getFlat(e);
                    x.setFlat(e, orig + eps);
                    double plus = evaluate(backend, pool, f, projection);
                    x.setFlat(e, orig - eps);
                    double minus = evaluate(backend, pool, f, projection);
                    x.setFlat(e, orig);
                    double numeric = (plus - minus) / (2 * eps);
                    double analytic = grad == null ? 0 : grad.getFlat(e);
                    double tol = atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric));
                    double ratio = Math.abs(analytic - numeric) / tol;
                    checked++;
                    if (!(ratio <= worst.ratio())) { // NaN counts as worst
                        worst = new Result(i, unflatten(e, x.shape()), analytic, numeric,
                                Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio, 0);
                    }
                }
            }
            return new Result(worst.input(), worst.index(), worst.analytic(), worst.numeric(), worst.ratio(), checked);
        }
    }

    private static Result orFail(Backend backend, Result r) {
        if (!r.ok()) {
            throw new AssertionError("gradient check failed on " + backend.name() + ": " + r);
        }
        return r;
    }

    /** L = Σ r ⊙ f(parameters), forward only. */
    private static double evaluate(Backend backend, BufferPool pool, Function<Graph, Variable> f, Tensor projection) {
        try (Graph g = Graph.noGrad(backend, pool)) {
            Tensor y = f.apply(g).value();
            double sum = 0;
            for (long k = 0, n = y.numel(); k < n; k++) {
                sum += y.getFlat(k) * projection.getFlat(k);
            }
            return sum;
        }
    }

    /** All flat indices, or a seeded random subset of {@code maxPerInput} of them. */
    private long[] elements(long n, SplittableRandom rng) {
        if (n <= maxPerInput) {
            long[] all = new long[(int) n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return rng.longs(0, n).distinct().limit(maxPerInput).toArray();
    }

    private static int[] unflatten(long flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = (int) (flat % shape[d]);
            flat /= shape[d];
        }
        return idx;
    }

    /** Perturbing one element must move exactly one value: F64 and no repeated (stride-0) elements. */
    private static void requireDistinctF64(Tensor t) {
        if (t.dtype() != DType.F64) {
            throw new IllegalArgumentException("GradCheck: inputs must be F64, got " + t);
        }
        for (int d = 0; d < t.rank(); d++) {
            if (t.dim(d) > 1 && t.stride(d) == 0) {
                throw new IllegalArgumentException("GradCheck: input " + t + " repeats elements (stride 0 on axis "
                        + d + "); pass the un-broadcast tensor and broadcast inside the function");
            }
        }
    }
}
