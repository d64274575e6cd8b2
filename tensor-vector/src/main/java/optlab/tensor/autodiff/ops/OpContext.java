package optlab.tensor.autodiff.ops;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Shapes;
import optlab.tensor.Tensor;
import optlab.tensor.Scope;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;

/**
 * What a primitive may use: the backend that computes, the scope its outputs and saved tensors live
 * in, and whether a tape is recording (when not, primitives save nothing for a backward pass). The
 * helpers allocate a fresh contiguous output per call, in the backend's memory ({@link Backend#empty}:
 * device memory for a device backend), and never write into their inputs, so gradients and saved
 * tensors can be shared between nodes without copies.
 */
public record OpContext(Backend backend, Scope scope, boolean recording) {

    public Tensor empty(DType dtype, int... shape) {
        return backend.empty(scope, dtype, shape);
    }

    public Tensor zeros(DType dtype, int... shape) {
        Tensor t = empty(dtype, shape);
        backend.fill(t, 0);
        return t;
    }

    /** {@code t} itself when contiguous, else a contiguous copy (reshape needs one). */
    public Tensor contiguous(Tensor t) {
        if (t.isContiguous()) {
            return t;
        }
        Tensor c = empty(t.dtype(), t.shape());
        backend.copy(t, c);
        return c;
    }

    public Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = empty(x.dtype(), x.shape());
        backend.unary(op, x, out);
        return out;
    }

    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Tensor out = empty(a.dtype(), broadcast(op.name().toLowerCase(), a, b));
        backend.binary(op, a, b, out);
        return out;
    }

    public Tensor scalar(BinaryOp op, Tensor a, double s) {
        Tensor out = empty(a.dtype(), a.shape());
        backend.scalar(op, a, s, out);
        return out;
    }

    /** mask != 0 ? a : b, all broadcast to {@code shape}. */
    public Tensor where(Tensor mask, Tensor a, Tensor b, int[] shape) {
        Tensor out = empty(a.dtype(), shape);
        backend.where(mask, a, b, out);
        return out;
    }

    /** A 0-d tensor holding zero, broadcastable to any shape. */
    public Tensor zero(DType dtype) {
        return zeros(dtype);
    }

    /**
     * Sums {@code g} down to {@code shape} (the reverse of broadcasting): leading axes and axes where
     * {@code shape} has size 1 are summed out. Returns {@code g} when the shapes already agree.
     */
    public Tensor sumTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape(), shape)) {
            return g;
        }
        int r = g.rank();
        if (shape.length > r) {
            throw new IllegalArgumentException("cannot sum gradient " + Arrays.toString(g.shape()) + " to larger rank "
                    + Arrays.toString(shape));
        }
        int[] keep = new int[r];
        Arrays.fill(keep, 1);
        System.arraycopy(shape, 0, keep, r - shape.length, shape.length);
        Tensor out = empty(g.dtype(), keep);
        backend.reduce(ReduceOp.SUM, g, out);
        return out.reshape(shape);
    }

    /** The broadcast shape of the operands, or an error naming the op and all shapes. */
    public static int[] broadcast(String op, Tensor... ts) {
        int[] shape = ts[0].shape();
        try {
            for (int i = 1; i < ts.length; i++) {
                shape = Shapes.broadcast(shape, ts[i].shape());
            }
        } catch (IllegalArgumentException e) {
            StringBuilder sb = new StringBuilder();
            for (Tensor t : ts) {
                sb.append(sb.isEmpty() ? "" : ", ").append(Arrays.toString(t.shape()));
            }
            throw new IllegalArgumentException(op + ": operand shapes " + sb + " do not broadcast", e);
        }
        return shape;
    }
}
