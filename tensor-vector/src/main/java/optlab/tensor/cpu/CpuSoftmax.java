package optlab.tensor.cpu;

import optlab.tensor.Tensor;

/** Stub: to be implemented. */
final class CpuSoftmax {
    private CpuSoftmax() {
    }

    static void softmax(Parallel parallel, Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("CpuSoftmax.softmax not implemented yet");
    }

    static void logSoftmax(Parallel parallel, Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("CpuSoftmax.logSoftmax not implemented yet");
    }

    static void softmaxBackward(Parallel parallel, Tensor y, Tensor gy, int axis, Tensor gx) {
        throw new UnsupportedOperationException("CpuSoftmax.softmaxBackward not implemented yet");
    }

    static void logSoftmaxBackward(Parallel parallel, Tensor y, Tensor gy, int axis, Tensor gx) {
        throw new UnsupportedOperationException("CpuSoftmax.logSoftmaxBackward not implemented yet");
    }

    static double crossEntropy(Parallel parallel, Tensor logits, Tensor target, Tensor grad) {
        throw new UnsupportedOperationException("CpuSoftmax.crossEntropy not implemented yet");
    }

    static double mse(Parallel parallel, Tensor a, Tensor b, Tensor grad) {
        throw new UnsupportedOperationException("CpuSoftmax.mse not implemented yet");
    }
}
