package optlab.optim;

import java.util.Arrays;
import optlab.tensor.Tensor;

/** Checks that a tensor is a flat parameter block (or a view of one): contiguous, any shape. */
final class FlatBlock {
    private FlatBlock() {
    }

    static void check(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " must be a contiguous block, got a strided view "
                    + t.dtype() + Arrays.toString(t.shape()) + " with strides " + Arrays.toString(t.strides()));
        }
    }

    static void sameLayout(String op, Tensor params, Tensor grads) {
        if (params.dtype() != grads.dtype() || params.numel() != grads.numel()) {
            throw new IllegalArgumentException(op + ": grads " + grads.dtype() + Arrays.toString(grads.shape())
                    + " do not match params " + params.dtype() + Arrays.toString(params.shape()));
        }
    }
}
