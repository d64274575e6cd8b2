package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;

/** Stub: to be implemented. */
final class RefPool {
    private RefPool() {
    }

    static void maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        throw new UnsupportedOperationException("RefPool.maxPool2d not implemented yet");
    }

    static void maxPool2dBackward(Tensor gOut, Tensor argmax, Tensor gx) {
        throw new UnsupportedOperationException("RefPool.maxPool2dBackward not implemented yet");
    }

    static void avgPool2d(Tensor x, Pool2dSpec spec, Tensor out) {
        throw new UnsupportedOperationException("RefPool.avgPool2d not implemented yet");
    }

    static void avgPool2dBackward(Tensor gOut, Pool2dSpec spec, Tensor gx) {
        throw new UnsupportedOperationException("RefPool.avgPool2dBackward not implemented yet");
    }
}
