package optlab.tensor.reference;

import optlab.tensor.Tensor;

/** Stub: to be implemented. */
final class RefDistance {
    private RefDistance() {
    }

    static void pairwiseSqDist(Tensor x, Tensor c, Tensor w, Tensor out) {
        throw new UnsupportedOperationException("RefDistance.pairwiseSqDist not implemented yet");
    }

    static void backward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        throw new UnsupportedOperationException("RefDistance.backward not implemented yet");
    }
}
