package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.ReduceOp;

/** Stub: to be implemented. */
final class RefReduce {
    private RefReduce() {
    }

    static void reduce(ReduceOp op, Tensor x, Tensor out) {
        throw new UnsupportedOperationException("RefReduce.reduce not implemented yet");
    }

    static void argmax(Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("RefReduce.argmax not implemented yet");
    }

    static void moments(Tensor x, Tensor mean, Tensor var, int correction) {
        throw new UnsupportedOperationException("RefReduce.moments not implemented yet");
    }
}
