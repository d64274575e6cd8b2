package optlab.tensor.cpu;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Backends;

/** Interim: delegates to the reference loop until the blocked Vector API GEMM lands. */
final class CpuGemm {
    private CpuGemm() {
    }

    static void gemm(Parallel parallel, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        try (var ref = Backends.reference()) {
            ref.gemm(alpha, a, b, beta, c);
        }
    }
}
