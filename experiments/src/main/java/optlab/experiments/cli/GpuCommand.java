package optlab.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import optlab.experiments.bench.DeviceGemmTiming;
import optlab.optim.UpdateCheck;
import optlab.tensor.DType;
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
        return DeviceGemmTiming.run(cuda, d, sizes == null || sizes.isEmpty() ? List.of(4096, 8192) : sizes, reps, System.out);
    }
}
