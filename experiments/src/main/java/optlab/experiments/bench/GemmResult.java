package optlab.experiments.bench;

import java.util.List;

/**
 * One row of {@code optlab bench gemm}: GFLOP/s (2·M·K·N per second) of optlab and OpenBLAS on one
 * shape, dtype and thread count. Headline figures are medians over forks; OpenBLAS fields are null
 * when the library is missing, optlab's when its run failed ({@code error} says why).
 *
 * @param shape   the label, e.g. "mlp fwd L2 100x4000x4000 NT" (M x K x N, layouts of A and B)
 * @param ratio   optlab / OpenBLAS
 * @param backend {@link optlab.tensor.backend.Backend#describe()} at this thread count
 */
public record GemmResult(String shape, String id, int m, int k, int n, String layout, String dtype, int threads,
        Double optlabGflops, Double openblasGflops, Double ratio,
        List<Double> optlabForkGflops, List<Double> openblasForkGflops,
        boolean optlabUnstable, boolean openblasUnstable, String error, String backend, BenchEnvironment env) {
}
