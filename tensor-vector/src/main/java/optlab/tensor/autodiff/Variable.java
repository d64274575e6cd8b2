package optlab.tensor.autodiff;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;

/**
 * A tensor value in a differentiable computation. Leaves are made here: constants (inputs, labels)
 * and parameters, whose gradient lives as long as they do and ACCUMULATES over backward passes until
 * {@link #zeroGrad} (so micro-batches add up). Non-leaf variables are produced by a {@link Graph} and
 * live as long as its scope, may feed only that graph, and their gradients are its business
 * ({@link Graph#grad}).
 */
public final class Variable {
    private final Tensor value;
    private final boolean requiresGrad;
    private final boolean leaf;
    private final Scope gradScope;
    private final Graph graph;
    private Tensor grad;
    /** The gradient's memory counts as zero: the next contribution overwrites it (see discardGrad). */
    private boolean gradDiscarded;

    private Variable(Tensor value, boolean requiresGrad, boolean leaf, Tensor grad, Scope gradScope, Graph graph) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.leaf = leaf;
        this.grad = grad;
        this.gradScope = gradScope;
        this.graph = graph;
    }

    /** A leaf that needs no gradient: data, targets, fixed tensors. */
    public static Variable constant(Tensor value) {
        return new Variable(value, false, true, null, null, null);
    }

    /**
     * A parameter whose gradient is accumulated into {@code grad} (same shape and dtype; any view, e.g.
     * a slice of one contiguous gradient block). The caller zeroes it before the first use.
     */
    public static Variable parameter(Tensor value, Tensor grad) {
        if (!value.sameShape(grad) || value.dtype() != grad.dtype()) {
            throw new IllegalArgumentException("parameter: gradient " + grad + " does not match value " + value);
        }
        return new Variable(value, true, true, grad, null, null);
    }

    /** A parameter whose gradient is allocated in {@code gradScope} when the first one arrives. */
    public static Variable parameter(Tensor value, Scope gradScope) {
        java.util.Objects.requireNonNull(gradScope, "parameter: gradScope");
        return new Variable(value, true, true, null, gradScope, null);
    }

    /** A graph's output; it needs a gradient when any input does and the graph records. */
    static Variable result(Graph graph, Tensor value, boolean requiresGrad) {
        return new Variable(value, requiresGrad, false, null, null, graph);
    }

    /** The graph that produced this variable; null for leaves. */
    Graph graph() {
        return graph;
    }

    public Tensor value() {
        return value;
    }

    /**
     * A leaf parameter's accumulated gradient; null before the first backward pass reached it. After
     * {@link #discardGrad} with no backward pass since, it is zeroed here first.
     */
    public Tensor grad() {
        if (gradDiscarded) {
            zero(grad);
            gradDiscarded = false;
        }
        return grad;
    }

    /**
     * As {@link #grad()}, zeroing a discarded gradient with {@code backend}'s fill: for gradients in device memory,
     * which the host must not write.
     */
    public Tensor grad(Backend backend) {
        if (gradDiscarded) {
            backend.fill(grad, 0);
            gradDiscarded = false;
        }
        return grad;
    }

    /** The gradient buffer as it lies, for the tape (which honours {@link #gradDiscarded()}). */
    Tensor gradBuffer() {
        return grad;
    }

    /** Whether the gradient counts as zero without having been written (after {@link #discardGrad}). */
    boolean gradDiscarded() {
        return gradDiscarded;
    }

    /** A primitive has written (not added) this leaf's gradient into its buffer. */
    void gradWritten() {
        gradDiscarded = false;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return leaf;
    }

    public int[] shape() {
        return value.shape();
    }

    public DType dtype() {
        return value.dtype();
    }

    /** Sets the accumulated gradient to zero (no-op before one exists). */
    public void zeroGrad(Backend backend) {
        if (grad != null) {
            backend.fill(grad, 0);
        }
        gradDiscarded = false;
    }

    /**
     * Lets the gradient count as zero without writing it, as torch's {@code zero_grad(set_to_none=True)}:
     * the next backward pass writes its contribution instead of adding it (a GEMM with beta = 0, a copy),
     * which saves one pass over the gradient memory per step; {@link #grad()} zeroes it if read first.
     */
    public void discardGrad() {
        if (grad != null) {
            gradDiscarded = true;
        }
    }

    private static void zero(Tensor t) {
        if (t.isContiguous()) {
            long bytes = t.dtype().byteSize();
            t.segment().asSlice(t.offset() * bytes, t.numel() * bytes).fill((byte) 0);
        } else {
            for (long i = 0; i < t.numel(); i++) {
                t.setFlat(i, 0);
            }
        }
    }

    /**
     * grad += g for a parameter, in place: the elementwise contract allows {@code out} to be the same
     * view as an input, and the gradient buffer is this leaf's own, so no temporary is needed.
     */
    void accumulate(Backend backend, Tensor g) {
        if (grad == null || gradDiscarded) {
            if (grad == null) {
                grad = backend.empty(gradScope, value.dtype(), value.shape());
            }
            backend.copy(g, grad);
            gradDiscarded = false;
            return;
        }
        backend.binary(BinaryOp.ADD, grad, g, grad);
    }

    @Override
    public String toString() {
        return "Variable(" + value.dtype() + Arrays.toString(value.shape()) + (requiresGrad ? ", grad" : "") + ")";
    }
}
