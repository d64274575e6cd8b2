package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Conv2dSpec;

/** Stub: to be implemented. */
final class RefConv {
    private RefConv() {
    }

    static void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        throw new UnsupportedOperationException("RefConv.conv2d not implemented yet");
    }

    static void backwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        throw new UnsupportedOperationException("RefConv.backwardInput not implemented yet");
    }

    static void backwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        throw new UnsupportedOperationException("RefConv.backwardWeight not implemented yet");
    }
}
