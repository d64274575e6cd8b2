package optlab.tensor.cpu;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Conv2dSpec;

/** Stub: to be implemented. */
final class CpuConv {
    private CpuConv() {
    }

    static void conv2d(CpuBackend backend, Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        throw new UnsupportedOperationException("CpuConv.conv2d not implemented yet");
    }

    static void backwardInput(CpuBackend backend, Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        throw new UnsupportedOperationException("CpuConv.backwardInput not implemented yet");
    }

    static void backwardWeight(CpuBackend backend, Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        throw new UnsupportedOperationException("CpuConv.backwardWeight not implemented yet");
    }
}
