package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/**
 * One differentiable operation: a forward that computes its output with the backend, and the
 * backward (chain rule) that turns the output's gradient into its inputs' gradients. The set is
 * closed: an op without a backward rule does not compile. An instance serves one application, so
 * it may keep what its backward needs (e.g. a pooling argmax) in its fields, and keeps nothing when
 * the context is not recording.
 */
public sealed interface Primitive
        permits Unary, Add, Sub, Mul, Div, PowScalar, AddScalar, MulScalar, Clamp, Where,
                MatMul, Linear, Reduce, Variance, Softmax, LogSoftmax, CrossEntropy, Mse,
                Conv2d, MaxPool2d, AvgPool2d, PairwiseSqDist, BatchNorm,
                Reshape, Permute, Slice, Expand, Concat {

    /** Short name for error messages and tape listings. */
    String name();

    /** The output for inputs {@code in} (an entry may be null where the op allows an absent input). */
    Tensor forward(OpContext ctx, Tensor[] in);

    /**
     * Gradients of the inputs given {@code g} = ∂L/∂out. Entry i may be null when {@code need[i]} is
     * false. A gradient may have the broadcast shape of its input's use; the tape sums it down to the
     * input's shape. Returned tensors may be views of {@code g} or of saved tensors: nobody writes
     * into them.
     */
    Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need);

    /**
     * As {@link #backward(OpContext, Tensor, Tensor[], Tensor, boolean[])}, where {@code into[i]}, when
     * not null, is the gradient buffer of a parameter leaf at input i (same shape): the primitive may
     * add ∂in[i] straight into it (into[i] += ∂in[i], e.g. a GEMM with beta = 1) and return null at i,
     * saving a temporary of the parameter's size. By default it returns every gradient.
     */
    default Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need, Tensor[] into) {
        return backward(ctx, g, in, out, need);
    }

    /**
     * As {@link #backward(OpContext, Tensor, Tensor[], Tensor, boolean[], Tensor[])}, where {@code fresh[i]}
     * says into[i] holds garbage that counts as zero (a discarded gradient): the primitive must then
     * WRITE ∂in[i] there (beta = 0) rather than add it. The tape sets fresh only for primitives that
     * {@link #writesFresh()}, so by default there is none and this is the plain backward.
     */
    default Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need, Tensor[] into,
            boolean[] fresh) {
        return backward(ctx, g, in, out, need, into);
    }

    /** Whether this primitive honours {@code fresh} (else the tape passes no buffer for a discarded gradient). */
    default boolean writesFresh() {
        return false;
    }
}
