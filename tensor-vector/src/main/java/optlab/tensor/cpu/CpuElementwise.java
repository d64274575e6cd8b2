package optlab.tensor.cpu;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/** Stub: to be implemented. */
final class CpuElementwise {
    private CpuElementwise() {
    }

    static void copy(Parallel parallel, Tensor src, Tensor dst) {
        throw new UnsupportedOperationException("CpuElementwise.copy not implemented yet");
    }

    static void fill(Parallel parallel, Tensor dst, double value) {
        throw new UnsupportedOperationException("CpuElementwise.fill not implemented yet");
    }

    static void unary(Parallel parallel, UnaryOp op, Tensor x, Tensor out) {
        throw new UnsupportedOperationException("CpuElementwise.unary not implemented yet");
    }

    static void binary(Parallel parallel, BinaryOp op, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CpuElementwise.binary not implemented yet");
    }

    static void scalar(Parallel parallel, BinaryOp op, Tensor a, double s, Tensor out) {
        throw new UnsupportedOperationException("CpuElementwise.scalar not implemented yet");
    }

    static void clamp(Parallel parallel, Tensor x, double lo, double hi, Tensor out) {
        throw new UnsupportedOperationException("CpuElementwise.clamp not implemented yet");
    }

    static void where(Parallel parallel, Tensor mask, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CpuElementwise.where not implemented yet");
    }
}
