package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/** Stub: to be implemented. */
final class RefElementwise {
    private RefElementwise() {
    }

    static void copy(Tensor src, Tensor dst) {
        throw new UnsupportedOperationException("RefElementwise.copy not implemented yet");
    }

    static void fill(Tensor dst, double value) {
        throw new UnsupportedOperationException("RefElementwise.fill not implemented yet");
    }

    static void unary(UnaryOp op, Tensor x, Tensor out) {
        throw new UnsupportedOperationException("RefElementwise.unary not implemented yet");
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("RefElementwise.binary not implemented yet");
    }

    static void scalar(BinaryOp op, Tensor a, double s, Tensor out) {
        throw new UnsupportedOperationException("RefElementwise.scalar not implemented yet");
    }

    static void clamp(Tensor x, double lo, double hi, Tensor out) {
        throw new UnsupportedOperationException("RefElementwise.clamp not implemented yet");
    }

    static void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("RefElementwise.where not implemented yet");
    }
}
