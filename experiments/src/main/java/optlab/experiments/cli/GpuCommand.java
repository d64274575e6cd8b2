package optlab.experiments.cli;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import optlab.optim.UpdateCheck;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BackendCheck;
import optlab.tensor.backend.BackendUnavailableException;
import optlab.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code optlab gpu check|gemm}: the GPU suite's optlab side, runnable from the jlink image on a machine with CUDA
 * but no JDK (experiments/scripts/gpu-suite.sh). {@code check} runs every CUDA kernel against the reference backend
 * on device-resident operands, and the fused optimizer updates against the host kernels bit for bit; {@code gemm} times device-resident SGEMM/DGEMM (N×N·N×N) after validating one result.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true,
        description = {"CUDA backend checks and GEMM timing (exit 0 passed, 1 failed, 2 no CUDA).",
                "  optlab gpu check            kernels vs the reference backend, optimizer updates vs the CPU",
                "  optlab gpu gemm 4096 8192   device-resident GEMM GFLOP/s"})
public final class GpuCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "check|gemm", description = "What to run.")
    String what;

    @Parameters(index = "1..*", paramLabel = "N", description = "GEMM sizes (default 4096 8192).")
    List<Integer> sizes;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "GEMM precision (default f32).")
    String dtype = "f32";

    @Option(names = "--reps", paramLabel = "R", description = "Timed GEMMs per size after one warm-up (default 10).")
    int reps = 10;

    @Override
    public Integer call() {
        try (Backend cuda = Backends.cuda()) {
            System.out.println("optlab gpu: " + cuda.describe());
            return switch (what) {
                case "check" -> BackendCheck.run(cuda, System.out) + UpdateCheck.run(cuda, System.out) == 0 ? 0 : 1;
                case "gemm" -> gemm(cuda);
                default -> {
                    System.err.println("optlab gpu: unknown task '" + what + "' (check or gemm)");
                    yield 2;
                }
            };
        } catch (BackendUnavailableException e) {
            System.err.println("optlab gpu: " + e.getMessage());
            return 2;
        }
    }

    private int gemm(Backend cuda) {
        DType d = dtype.equalsIgnoreCase("f64") ? DType.F64 : DType.F32;
        for (int n : sizes == null || sizes.isEmpty() ? List.of(4096, 8192) : sizes) {
            try (Scope s = Scope.open()) {
                Tensor a = cuda.empty(s, d, n, n), b = cuda.empty(s, d, n, n), c = cuda.empty(s, d, n, n);
                Tensor ha = s.uniform(d, new SplittableRandom(1), -1, 1, n, n), hb = s.uniform(d, new SplittableRandom(2), -1, 1, n, n);
                cuda.copy(ha, a);
                cuda.copy(hb, b);
                cuda.gemm(1, a, b, 0, c);
                // Validate before timing: one row of c against a double-precision dot product on the host.
                Tensor row = s.empty(d, 1, n);
                cuda.copy(c.slice(0, n / 2, n / 2 + 1), row);
                double worst = 0;
                for (int j = 0; j < n; j += Math.max(1, n / 64)) {
                    double want = 0;
                    for (int k = 0; k < n; k++) {
                        want += ha.get(n / 2, k) * hb.get(k, j);
                    }
                    worst = Math.max(worst, Math.abs(row.get(0, j) - want) / Math.sqrt(n));
                }
                if (!(worst < (d == DType.F32 ? 1e-4 : 1e-12))) {
                    System.out.printf(Locale.ROOT, "gemm %d %s: WRONG RESULT (scaled error %.3g)%n", n, d, worst);
                    return 1;
                }
                cuda.synchronize();
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    cuda.gemm(1, a, b, 0, c);
                }
                cuda.synchronize();
                double sec = (System.nanoTime() - t0) * 1e-9 / reps;
                System.out.printf(Locale.ROOT, "gemm %d^3 %s: %.3f ms, %.1f GFLOP/s (scaled error %.2g)%n", n, d, sec * 1e3,
                        2.0 * n * n * n / sec * 1e-9, worst);
            }
        }
        return 0;
    }
}
