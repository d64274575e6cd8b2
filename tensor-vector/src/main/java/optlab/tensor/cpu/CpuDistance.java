package optlab.tensor.cpu;

import optlab.tensor.Tensor;

/** Stub: to be implemented. */
final class CpuDistance {
    private CpuDistance() {
    }

    static void pairwiseSqDist(CpuBackend backend, Tensor x, Tensor c, Tensor w, Tensor out) {
        throw new UnsupportedOperationException("CpuDistance.pairwiseSqDist not implemented yet");
    }

    static void backward(CpuBackend backend, Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        throw new UnsupportedOperationException("CpuDistance.backward not implemented yet");
    }
}
