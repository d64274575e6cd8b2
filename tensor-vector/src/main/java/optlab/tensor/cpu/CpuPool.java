package optlab.tensor.cpu;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;

/** Stub: to be implemented. */
final class CpuPool {
    private CpuPool() {
    }

    static void maxPool2d(Parallel parallel, Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        throw new UnsupportedOperationException("CpuPool.maxPool2d not implemented yet");
    }

    static void maxPool2dBackward(Parallel parallel, Tensor gOut, Tensor argmax, Tensor gx) {
        throw new UnsupportedOperationException("CpuPool.maxPool2dBackward not implemented yet");
    }

    static void avgPool2d(Parallel parallel, Tensor x, Pool2dSpec spec, Tensor out) {
        throw new UnsupportedOperationException("CpuPool.avgPool2d not implemented yet");
    }

    static void avgPool2dBackward(Parallel parallel, Tensor gOut, Pool2dSpec spec, Tensor gx) {
        throw new UnsupportedOperationException("CpuPool.avgPool2dBackward not implemented yet");
    }
}
