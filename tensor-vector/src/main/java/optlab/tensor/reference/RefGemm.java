package optlab.tensor.reference;

import optlab.tensor.Tensor;

/** Stub: to be implemented. */
final class RefGemm {
    private RefGemm() {
    }

    static void gemm(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        throw new UnsupportedOperationException("RefGemm.gemm not implemented yet");
    }
}
