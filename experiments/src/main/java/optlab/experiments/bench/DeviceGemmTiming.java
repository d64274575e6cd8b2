package optlab.experiments.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;

/**
 * Device-resident square GEMM timing (C = A·B, N×N each, operands in device memory): one product validated against
 * double-precision dot products on the host (a sample of one row), then {@code reps} products timed between two
 * synchronizations. What {@code optlab bench gemm --backend cuda} and {@code optlab gpu gemm} print, beside
 * {@code torch.matmul} with TF32 off in the GPU suite (experiments/scripts/torch_gpu_reference.py).
 */
public final class DeviceGemmTiming {
    private DeviceGemmTiming() {
    }

    /** Times every size; returns 0, or 1 when a result is wrong (nothing is timed for it). */
    public static int run(Backend device, DType d, List<Integer> sizes, int reps, PrintStream out) {
        for (int n : sizes) {
            if (n < 1 || reps < 1) {
                throw new IllegalArgumentException("gemm sizes and --reps must be >= 1, got " + n + " and " + reps);
            }
            try (Scope s = Scope.open()) {
                Tensor ha = s.uniform(d, new SplittableRandom(1), -1, 1, n, n);
                Tensor hb = s.uniform(d, new SplittableRandom(2), -1, 1, n, n);
                Tensor a = device.place(ha, s), b = device.place(hb, s), c = device.empty(s, d, n, n);
                device.gemm(1, a, b, 0, c);
                Tensor row = device.toHost(c.slice(0, n / 2, n / 2 + 1), s);
                double worst = 0;
                for (int j = 0; j < n; j += Math.max(1, n / 64)) {
                    double want = 0;
                    for (int k = 0; k < n; k++) {
                        want += ha.get(n / 2, k) * hb.get(k, j);
                    }
                    worst = Math.max(worst, Math.abs(row.get(0, j) - want) / Math.sqrt(n));
                }
                if (!(worst < (d == DType.F32 ? 1e-4 : 1e-12))) {
                    out.printf(Locale.ROOT, "gemm %d %s: WRONG RESULT (scaled error %.3g)%n", n, d, worst);
                    return 1;
                }
                device.synchronize();
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    device.gemm(1, a, b, 0, c);
                }
                device.synchronize();
                double sec = (System.nanoTime() - t0) * 1e-9 / reps;
                out.printf(Locale.ROOT, "gemm %d^3 %s: %.3f ms, %.1f GFLOP/s (scaled error %.2g)%n", n, d, sec * 1e3,
                        2.0 * n * n * n / sec * 1e-9, worst);
            }
        }
        return 0;
    }
}
