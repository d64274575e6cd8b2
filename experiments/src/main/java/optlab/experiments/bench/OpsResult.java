package optlab.experiments.bench;

import java.util.List;

/**
 * One row of {@code optlab bench ops}: throughput of an op in GB/s of compulsory traffic (see
 * {@link StreamOp#bytes}) next to a plain memory copy of x measured in the same run. Figures are
 * medians over forks and null when the op did not run ({@code status} says why).
 *
 * @param status "ok", "not implemented" (the kernel threw UnsupportedOperationException) or "FAILED: ..."
 */
public record OpsResult(String op, String description, String dtype, int threads, int rows, int cols, long bytes,
        Double gbps, Double memcpyGbps, Double ratioToMemcpy, List<Double> forkGbps, boolean unstable,
        String status, String backend, BenchEnvironment env) {
}
