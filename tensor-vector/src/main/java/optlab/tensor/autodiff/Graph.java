package optlab.tensor.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.tensor.BufferPool;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.ops.AddScalar;
import optlab.tensor.autodiff.ops.Add;
import optlab.tensor.autodiff.ops.Axes;
import optlab.tensor.autodiff.ops.AvgPool2d;
import optlab.tensor.autodiff.ops.BatchNorm;
import optlab.tensor.autodiff.ops.Clamp;
import optlab.tensor.autodiff.ops.Concat;
import optlab.tensor.autodiff.ops.Conv2d;
import optlab.tensor.autodiff.ops.CrossEntropy;
import optlab.tensor.autodiff.ops.Div;
import optlab.tensor.autodiff.ops.Expand;
import optlab.tensor.autodiff.ops.Linear;
import optlab.tensor.autodiff.ops.LogSoftmax;
import optlab.tensor.autodiff.ops.MatMul;
import optlab.tensor.autodiff.ops.MaxPool2d;
import optlab.tensor.autodiff.ops.Mse;
import optlab.tensor.autodiff.ops.Mul;
import optlab.tensor.autodiff.ops.MulScalar;
import optlab.tensor.autodiff.ops.OpContext;
import optlab.tensor.autodiff.ops.PairwiseSqDist;
import optlab.tensor.autodiff.ops.Permute;
import optlab.tensor.autodiff.ops.PowScalar;
import optlab.tensor.autodiff.ops.Primitive;
import optlab.tensor.autodiff.ops.Reduce;
import optlab.tensor.autodiff.ops.Reshape;
import optlab.tensor.autodiff.ops.Slice;
import optlab.tensor.autodiff.ops.Softmax;
import optlab.tensor.autodiff.ops.Sub;
import optlab.tensor.autodiff.ops.Unary;
import optlab.tensor.autodiff.ops.Variance;
import optlab.tensor.autodiff.ops.Where;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;

/**
 * A tape: each primitive applied through this graph runs forward at once and, when recording and
 * some input needs a gradient, is appended to the tape. Creation order is a topological order, so
 * {@link #backward} walks the tape in reverse, summing gradients of variables used more than once
 * and adding the totals into the parameters' gradients. Outputs, saved tensors and gradients live in
 * the graph's scope; open one graph per step on a {@link BufferPool} and a training loop reuses the
 * same buffers every step. A {@linkplain #noGrad no-grad} graph records nothing and saves nothing.
 */
public final class Graph implements AutoCloseable {
    /** One application of a primitive: what backward needs to call its chain rule. */
    private record Node(Primitive op, Variable[] inputs, Variable output) {
    }

    private final Backend backend;
    private final Scope scope;
    private final boolean ownsScope;
    private final boolean recording;
    private final List<Node> tape = new ArrayList<>();
    private final Map<Variable, Tensor> grads = new LinkedHashMap<>();

    private Graph(Backend backend, Scope scope, boolean ownsScope, boolean recording) {
        this.backend = backend;
        this.scope = scope;
        this.ownsScope = ownsScope;
        this.recording = recording;
    }

    /** A recording graph whose tensors live in {@code scope} (the caller closes it). */
    public static Graph open(Backend backend, Scope scope) {
        return new Graph(backend, scope, false, true);
    }

    /** A recording graph leasing its tensors from {@code pool}, returned on {@link #close()}. */
    public static Graph open(Backend backend, BufferPool pool) {
        return new Graph(backend, Scope.open(pool), true, true);
    }

    /** Forward only, for evaluation: records no nodes and saves no tensors for a backward pass. */
    public static Graph noGrad(Backend backend, Scope scope) {
        return new Graph(backend, scope, false, false);
    }

    public static Graph noGrad(Backend backend, BufferPool pool) {
        return new Graph(backend, Scope.open(pool), true, false);
    }

    public Backend backend() {
        return backend;
    }

    public Scope scope() {
        return scope;
    }

    /** An uninitialized tensor in the backend's memory ({@link Backend#empty}), living as long as the graph's scope. */
    public Tensor empty(optlab.tensor.DType dtype, int... shape) {
        return backend.empty(scope, dtype, shape);
    }

    /**
     * {@code t} where the backend computes: t itself, or a copy in the graph's scope when the backend keeps its data
     * in device memory and t is a host tensor (a batch, targets); one transfer instead of one per op.
     */
    public Tensor place(Tensor t) {
        return backend.place(t, scope);
    }

    public boolean recording() {
        return recording;
    }

    /** Number of nodes on the tape. */
    public int size() {
        return tape.size();
    }

    /** Names of the recorded primitives in order, e.g. for a test or a debug print. */
    public List<String> ops() {
        return tape.stream().map(n -> n.op().name()).toList();
    }

    /** Runs {@code op} forward and records it when some input needs a gradient. */
    Variable apply(Primitive op, Variable... in) {
        Tensor[] values = new Tensor[in.length];
        boolean needs = false;
        for (int i = 0; i < in.length; i++) {
            if (in[i] != null && !in[i].isLeaf() && in[i].graph() != this) {
                // Its memory belongs to that graph's scope and its gradient would not reach its inputs.
                throw new IllegalArgumentException(op.name() + ": input " + i + " " + in[i] + " was produced by another"
                        + " graph; wrap its value with Variable.constant (and keep that graph open) to use it here");
            }
            values[i] = in[i] == null ? null : in[i].value();
            needs |= in[i] != null && in[i].requiresGrad();
        }
        boolean record = recording && needs;
        Tensor out = op.forward(new OpContext(backend, scope, record), values);
        Variable v = Variable.result(this, out, record);
        if (record) {
            tape.add(new Node(op, in.clone(), v));
        }
        return v;
    }

    // ------------------------------------------------------------------ backward

    /** Back-propagates from a one-element {@code loss} (seed ∂loss = 1). */
    public void backward(Variable loss) {
        if (loss.value().numel() != 1) {
            throw new IllegalArgumentException("backward: loss must have one element, got shape "
                    + Arrays.toString(loss.shape()) + "; pass a seed gradient for other outputs");
        }
        Tensor seed = empty(loss.dtype(), loss.shape());
        backend.fill(seed, 1.0);
        backward(loss, seed);
    }

    /**
     * Back-propagates {@code seed} = ∂L/∂out (out's shape) through the tape, accumulating into every
     * parameter reached. May be called again (gradients add up).
     */
    public void backward(Variable out, Tensor seed) {
        if (!recording) {
            throw new IllegalStateException("backward: this graph is in no-grad mode and recorded nothing");
        }
        if (!out.requiresGrad()) {
            throw new IllegalArgumentException("backward: " + out + " does not depend on any parameter");
        }
        if (!Arrays.equals(seed.shape(), out.shape())) {
            throw new IllegalArgumentException("backward: seed " + seed + " does not match output " + out);
        }
        grads.clear();
        grads.put(out, seed);
        OpContext ctx = new OpContext(backend, scope, true);
        for (int k = tape.size() - 1; k >= 0; k--) {
            Node node = tape.get(k);
            Tensor g = grads.get(node.output());
            if (g == null) {
                continue;
            }
            Variable[] in = node.inputs();
            Tensor[] values = new Tensor[in.length];
            boolean[] need = new boolean[in.length];
            Tensor[] into = new Tensor[in.length];
            boolean[] fresh = new boolean[in.length];
            boolean writesFresh = node.op().writesFresh();
            for (int i = 0; i < in.length; i++) {
                values[i] = in[i] == null ? null : in[i].value();
                need[i] = in[i] != null && in[i].requiresGrad();
                if (need[i] && in[i].isLeaf()) {
                    // A discarded gradient is written by primitives that can; the others return their
                    // contribution, which then overwrites it (Variable.accumulate).
                    boolean discarded = in[i].gradDiscarded();
                    fresh[i] = writesFresh && discarded;
                    into[i] = discarded && !writesFresh ? null : in[i].gradBuffer();
                }
            }
            Tensor[] gIn = node.op().backward(ctx, g, values, node.output().value(), need, into, fresh);
            for (int i = 0; i < in.length; i++) {
                if (need[i] && gIn[i] != null) {
                    addGrad(ctx, in[i], ctx.sumTo(gIn[i], in[i].shape()));
                } else if (fresh[i]) {
                    in[i].gradWritten();
                }
            }
        }
        for (Map.Entry<Variable, Tensor> e : grads.entrySet()) {
            if (e.getKey().isLeaf()) {
                e.getKey().accumulate(backend, e.getValue());
            }
        }
    }

    /** Sums a gradient contribution; gradients are never written in place (they may be shared views). */
    private void addGrad(OpContext ctx, Variable v, Tensor g) {
        Tensor prev = grads.get(v);
        grads.put(v, prev == null ? g : ctx.binary(BinaryOp.ADD, prev, g));
    }

    /**
     * ∂L/∂v from the last {@link #backward} on this graph, or null. For leaves: this pass's share only,
     * and only what went through the tape; a primitive may add a parameter's share straight into its
     * gradient buffer ({@link Primitive#backward(OpContext, Tensor, Tensor[], Tensor, boolean[], Tensor[])}).
     */
    public Tensor grad(Variable v) {
        return grads.get(v);
    }

    /** Drops the tape; a graph opened on a pool also gives its buffers back. */
    @Override
    public void close() {
        tape.clear();
        grads.clear();
        if (ownsScope) {
            scope.close();
        }
    }

    // ------------------------------------------------------------------ elementwise

    public Variable add(Variable a, Variable b) {
        return apply(new Add(), a, b);
    }

    public Variable sub(Variable a, Variable b) {
        return apply(new Sub(), a, b);
    }

    public Variable mul(Variable a, Variable b) {
        return apply(new Mul(), a, b);
    }

    public Variable div(Variable a, Variable b) {
        return apply(new Div(), a, b);
    }

    /** Any elementwise function of {@link UnaryOp}; the named methods below are shorthands. */
    public Variable unary(UnaryOp op, Variable x) {
        return apply(new Unary(op), x);
    }

    public Variable neg(Variable x) {
        return unary(UnaryOp.NEG, x);
    }

    public Variable exp(Variable x) {
        return unary(UnaryOp.EXP, x);
    }

    public Variable log(Variable x) {
        return unary(UnaryOp.LOG, x);
    }

    public Variable sqrt(Variable x) {
        return unary(UnaryOp.SQRT, x);
    }

    public Variable square(Variable x) {
        return unary(UnaryOp.SQUARE, x);
    }

    public Variable abs(Variable x) {
        return unary(UnaryOp.ABS, x);
    }

    public Variable relu(Variable x) {
        return unary(UnaryOp.RELU, x);
    }

    /** GELU, exact erf form (PyTorch's default). */
    public Variable gelu(Variable x) {
        return unary(UnaryOp.GELU, x);
    }

    /** GELU, tanh approximation (PyTorch's {@code approximate='tanh'}). */
    public Variable geluTanh(Variable x) {
        return unary(UnaryOp.GELU_TANH, x);
    }

    public Variable tanh(Variable x) {
        return unary(UnaryOp.TANH, x);
    }

    public Variable sigmoid(Variable x) {
        return unary(UnaryOp.SIGMOID, x);
    }

    /** xᵖ for a constant p. */
    public Variable pow(Variable x, double p) {
        return apply(new PowScalar(p), x);
    }

    public Variable addScalar(Variable x, double s) {
        return apply(new AddScalar(s), x);
    }

    public Variable mulScalar(Variable x, double s) {
        return apply(new MulScalar(s), x);
    }

    public Variable clamp(Variable x, double lo, double hi) {
        return apply(new Clamp(lo, hi), x);
    }

    /** mask ≠ 0 ? a : b, with a constant mask (same dtype); all three broadcast. */
    public Variable where(Tensor mask, Variable a, Variable b) {
        return apply(new Where(mask), a, b);
    }

    // ------------------------------------------------------------------ linear algebra

    /** Batched matrix product [..., M, K]·[..., K, N] with broadcasting batch axes. */
    public Variable matmul(Variable a, Variable b) {
        return apply(new MatMul(), a, b);
    }

    /**
     * y [..., out] = x [..., in]·Wᵀ + b, W [out, in] (PyTorch layout), b [out] or null: one fused
     * primitive whose ∂W goes straight into a parameter's gradient buffer.
     */
    public Variable linear(Variable x, Variable w, Variable b) {
        return apply(new Linear(), x, w, b);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum over {@code axes} (none: all), keeping them as size 1 when {@code keepdim}. */
    public Variable sum(Variable x, boolean keepdim, int... axes) {
        return apply(new Reduce(ReduceOp.SUM, Axes.of("sum", x.value(), keepdim, axes)), x);
    }

    public Variable mean(Variable x, boolean keepdim, int... axes) {
        return apply(new Reduce(ReduceOp.MEAN, Axes.of("mean", x.value(), keepdim, axes)), x);
    }

    public Variable max(Variable x, boolean keepdim, int... axes) {
        return apply(new Reduce(ReduceOp.MAX, Axes.of("max", x.value(), keepdim, axes)), x);
    }

    public Variable min(Variable x, boolean keepdim, int... axes) {
        return apply(new Reduce(ReduceOp.MIN, Axes.of("min", x.value(), keepdim, axes)), x);
    }

    /** Variance over {@code axes}, dividing by n − correction (0 or 1). */
    public Variable variance(Variable x, int correction, boolean keepdim, int... axes) {
        return apply(new Variance(Axes.of("variance", x.value(), keepdim, axes), correction), x);
    }

    /**
     * Training-mode batch normalization over channel axis 1 of x [N, C, ...] as one fused primitive
     * (batch mean and biased variance per channel; gamma, beta [C] may be null). When not null,
     * batchMean and batchVar [C] receive the statistics, e.g. for a layer's running averages.
     */
    public Variable batchNorm(Variable x, Variable gamma, Variable beta, double eps, Tensor batchMean, Tensor batchVar) {
        return apply(new BatchNorm(eps, batchMean, batchVar), x, gamma, beta);
    }

    // ------------------------------------------------------------------ softmax and losses

    public Variable softmax(Variable x, int axis) {
        return apply(new Softmax(axis), x);
    }

    public Variable logSoftmax(Variable x, int axis) {
        return apply(new LogSoftmax(axis), x);
    }

    /** Mean cross-entropy of logits [N, C] against constant [N] class indices or [N, C] probabilities. */
    public Variable crossEntropy(Variable logits, Tensor target) {
        return apply(new CrossEntropy(target), logits);
    }

    /** Mean squared error; both sides may need gradients. */
    public Variable mse(Variable prediction, Variable target) {
        return apply(new Mse(), prediction, target);
    }

    // ------------------------------------------------------------------ convolution, pooling, distances

    /** Convolution of x [N, C, H, W] with w [O, C, kh, kw], plus bias [O] unless it is null. */
    public Variable conv2d(Variable x, Variable w, Variable bias, Conv2dSpec spec) {
        return apply(new Conv2d(spec), x, w, bias);
    }

    public Variable maxPool2d(Variable x, Pool2dSpec spec) {
        return apply(new MaxPool2d(spec), x);
    }

    public Variable avgPool2d(Variable x, Pool2dSpec spec) {
        return apply(new AvgPool2d(spec), x);
    }

    /** [N, M] weighted squared distances of x [N, D] to centroids c [M, D]; w [M, D] may be null. */
    public Variable pairwiseSqDist(Variable x, Variable c, Variable w) {
        return apply(new PairwiseSqDist(), x, c, w);
    }

    // ------------------------------------------------------------------ views and layout

    public Variable reshape(Variable x, int... shape) {
        return apply(new Reshape(shape), x);
    }

    public Variable permute(Variable x, int... order) {
        return apply(new Permute(order), x);
    }

    public Variable transpose(Variable x, int a, int b) {
        int[] order = new int[x.value().rank()];
        Arrays.setAll(order, i -> i);
        int p = x.value().axis(a), q = x.value().axis(b);
        order[p] = q;
        order[q] = p;
        return permute(x, order);
    }

    public Variable slice(Variable x, int axis, int start, int end, int step) {
        return apply(new Slice(axis, start, end, step), x);
    }

    public Variable slice(Variable x, int axis, int start, int end) {
        return slice(x, axis, start, end, 1);
    }

    /** Broadcasts x to {@code shape} (NumPy rules). */
    public Variable expand(Variable x, int... shape) {
        return apply(new Expand(shape), x);
    }

    public Variable concat(int axis, Variable... xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one input");
        }
        return apply(new Concat(axis), xs);
    }
}
