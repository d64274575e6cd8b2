package optlab.optim;

import java.util.Arrays;
import java.util.List;
import optlab.optim.transform.StateBuffer;
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

    /** What every step checks: params and grads are flat blocks of one layout and the state fits them. */
    static void checkStep(String op, OptimizerState state, Tensor params, Tensor grads, List<StateBuffer> layout) {
        check(op, "params", params);
        check(op, "grads", grads);
        sameLayout(op, params, grads);
        state.checkFits(op, params, layout);
    }
}
