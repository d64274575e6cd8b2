package optlab.models.path;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;
import optlab.models.path.PathChain.Conv;
import optlab.models.path.PathChain.Dense;
import optlab.models.path.PathChain.Flat;
import optlab.models.path.PathChain.Pool;
import optlab.models.path.PathChain.Step;
import optlab.optim.PathStructure;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import optlab.tensor.backend.UnaryOp;

/**
 * The |w|^p network of a conv net run through autodiff: every weight and bias replaced by |w|^p (a
 * leaf whose gradient buffer is the matching slice of κ), ReLU and Dropout dropped, one all-ones input
 * of the model's input shape, max pooling as a sum over its window (every window input is a path of
 * weight 1: which one the max picks depends on the data, so all count) and average pooling with its
 * weights (1/k²)^p. The outputs are summed into φ^p and one backward pass from it leaves
 * κ = ∂φ^p/∂|w|^p in the leaves' gradients. A layer's forward multiplier m multiplies its edges by |m|^p. Both poolings are linear in the units, so node rescaling
 * of a channel scales κ exactly as for an MLP.
 */
final class GraphPaths implements PathStructure {
    private static final Cleaner CLEANER = Cleaner.create();

    private final PathChain chain;
    private final int[] input;
    private final Resources resources = new Resources();

    /** The backend (one thread: the passes are a batch of one) and buffer pool, freed with this object. */
    private static final class Resources implements Runnable {
        Backend backend;
        BufferPool pool;

        @Override
        public void run() {
            if (backend != null) {
                backend.close();
            }
            if (pool != null) {
                pool.close();
            }
        }
    }

    GraphPaths(PathChain chain, int[] input) {
        this.chain = chain;
        this.input = input.clone();
        CLEANER.register(this, resources);
    }

    @Override
    public double kappa(Tensor params, double p, Tensor kappa) {
        check("kappa", params, p);
        if (kappa.dtype() != params.dtype() || kappa.numel() != params.numel() || !kappa.isContiguous()) {
            throw new IllegalArgumentException("PathNetworks.kappa: kappa " + kappa + " must be a contiguous block like"
                    + " params " + params);
        }
        Backend backend = backend();
        backend.fill(kappa, 0);
        try (Graph g = Graph.open(backend, resources.pool)) {
            Variable out = forward(g, params, p, kappa);
            Variable phi = g.sum(out, false);
            g.backward(phi);
            return phi.value().item();
        }
    }

    @Override
    public double pathNorm(Tensor params, double p) {
        check("pathNorm", params, p);
        try (Graph g = Graph.noGrad(backend(), resources.pool)) {
            Variable out = forward(g, params, p, null);
            return Math.pow(g.sum(out, false).value().item(), 1 / p);
        }
    }

    /** The |w|^p network's outputs [1, ...]; with kappa, weights are leaves whose gradients land in it. */
    private Variable forward(Graph g, Tensor params, double p, Tensor kappa) {
        DType dt = params.dtype();
        int[] shape = new int[input.length + 1];
        shape[0] = 1;
        System.arraycopy(input, 0, shape, 1, input.length);
        Variable x = Variable.constant(g.scope().full(dt, 1.0, shape));
        for (Step s : chain.steps()) {
            x = switch (s) {
                case Dense d -> multiply(g, g.linear(x, leaf(g, params, kappa, d.weight(), d.layer().weight().shape(), p),
                        d.bias() < 0 ? null : leaf(g, params, kappa, d.bias(), new int[] {d.layer().outFeatures()}, p)),
                        d.layer().multiplier(), p);
                case Conv c -> multiply(g, g.conv2d(x, leaf(g, params, kappa, c.weight(), c.layer().weight().shape(), p),
                        c.bias() < 0 ? null : leaf(g, params, kappa, c.bias(), new int[] {c.layer().outChannels()}, p),
                        c.layer().spec()), c.layer().multiplier(), p);
                case Pool q -> {
                    // Sum pooling = k²·average (padded positions are zeros: no path starts there).
                    double k2 = q.spec().kernelH() * q.spec().kernelW();
                    yield g.mulScalar(g.avgPool2d(x, q.spec()), q.max() ? k2 : Math.pow(k2, 1 - p));
                }
                case Flat f -> g.reshape(x, 1, Math.toIntExact(x.value().numel()));
            };
        }
        return x;
    }

    /** A layer's forward multiplier m is a constant factor |m|^p on each of its edges. */
    private static Variable multiply(Graph g, Variable y, double m, double p) {
        return m == 1 ? y : g.mulScalar(y, Math.pow(m, p));
    }

    /** |w|^p of a parameter slice as a leaf: a parameter with its gradient in kappa, or a constant. */
    private static Variable leaf(Graph g, Tensor params, Tensor kappa, long off, int[] shape, double p) {
        int n = Math.toIntExact(Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b));
        int from = Math.toIntExact(off);
        Tensor w = params.slice(0, from, from + n).reshape(shape);
        Backend b = g.backend();
        Tensor a = g.scope().empty(w.dtype(), shape);
        b.unary(p == 2 ? UnaryOp.SQUARE : UnaryOp.ABS, w, a);
        if (p != 2 && p != 1) {
            try (Graph pw = Graph.noGrad(b, g.scope())) {
                a = pw.pow(Variable.constant(a), p).value();
            }
        }
        return kappa == null ? Variable.constant(a) : Variable.parameter(a, kappa.slice(0, from, from + n).reshape(shape));
    }

    private void check(String op, Tensor params, double p) {
        long numel = chain.model().numParameters();
        if (params.numel() != numel || !params.isContiguous()) {
            throw new IllegalArgumentException("PathNetworks." + op + ": params " + params + " are not a contiguous block"
                    + " of this model's " + numel + " parameters");
        }
        if (!(p > 0 && Double.isFinite(p))) {
            throw new IllegalArgumentException("PathNetworks." + op + ": p must be finite and > 0, got " + p);
        }
    }

    private Backend backend() {
        if (resources.backend == null) {
            resources.backend = Backends.cpu(1);
            resources.pool = new BufferPool();
        }
        return resources.backend;
    }

    @Override
    public String toString() {
        return "GraphPaths(input " + Arrays.toString(input) + ", " + chain.steps().size() + " steps)";
    }

    List<Step> steps() {
        return chain.steps();
    }
}
