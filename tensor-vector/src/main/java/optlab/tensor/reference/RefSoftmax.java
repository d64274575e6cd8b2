package optlab.tensor.reference;

import optlab.tensor.Tensor;

/** Stub: to be implemented. */
final class RefSoftmax {
    private RefSoftmax() {
    }

    static void softmax(Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("RefSoftmax.softmax not implemented yet");
    }

    static void logSoftmax(Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("RefSoftmax.logSoftmax not implemented yet");
    }

    static void softmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        throw new UnsupportedOperationException("RefSoftmax.softmaxBackward not implemented yet");
    }

    static void logSoftmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        throw new UnsupportedOperationException("RefSoftmax.logSoftmaxBackward not implemented yet");
    }

    static double crossEntropy(Tensor logits, Tensor target, Tensor grad) {
        throw new UnsupportedOperationException("RefSoftmax.crossEntropy not implemented yet");
    }

    static double mse(Tensor a, Tensor b, Tensor grad) {
        throw new UnsupportedOperationException("RefSoftmax.mse not implemented yet");
    }
}
