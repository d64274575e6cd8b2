package optlab.tensor.cpu;

import optlab.tensor.Tensor;

/** Stub: to be implemented. */
final class CpuGemm {
    private CpuGemm() {
    }

    static void gemm(Parallel parallel, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        throw new UnsupportedOperationException("CpuGemm.gemm not implemented yet");
    }
}
