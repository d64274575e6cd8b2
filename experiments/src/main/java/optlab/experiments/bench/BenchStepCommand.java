package optlab.experiments.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import optlab.experiments.online.StepTiming;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.param.Parameterization;
import optlab.tensor.DType;
import optlab.tensor.backend.BackendUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code optlab bench online-step}: time per online SGD step of a μP MLP (the unit of work of a γ-η sweep) in F32
 * and F64; compare with {@code experiments/scripts/torch_mup_step.py}.
 */
@Command(name = "online-step", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times one online SGD step (forward, MSE on one-hot targets, backward, update) of a muP MLP, "
                + "in F32 and F64, as a gamma-eta sweep run does it.",
                "PyTorch: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 experiments/scripts/torch_mup_step.py --threads 1"})
public final class BenchStepCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "SPEC", description = "Zoo MLP spec (default mlp:784-256-256-10: width 256, depth 3).")
    String model = "mlp:784-256-256-10";

    @Option(names = "--param", paramLabel = "SPEC", description = "Parameterization (default mup:gamma0=1).")
    String param = "mup:gamma0=1";

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default 64).")
    int batch = 64;

    @Option(names = "--threads", paramLabel = "T", description = "Kernel threads (default 1: a sweep runs one run per core).")
    int threads = 1;

    @Option(names = "--seconds", paramLabel = "S", description = "Measurement time per dtype (default 5).")
    double seconds = 5;

    @Option(names = "--warmup", paramLabel = "S", description = "Untimed warm-up per dtype in seconds (default 5: the JIT).")
    double warmup = 5;

    @Option(names = "--backend", paramLabel = "cpu|cuda", description = "Kernels (default cpu); cuda keeps the model and"
            + " optimizer state on the GPU, uploading each step's batch.")
    String backend = "cpu";

    @Override
    public Integer call() {
        if (!backend.equals("cpu") && !backend.equals("cuda")) {
            System.err.println("optlab bench online-step: --backend must be cpu or cuda, got '" + backend + "'");
            return 2;
        }
        if (batch < 1 || threads < 1 || !(seconds > 0) || !(warmup >= 0)) {
            System.err.println("optlab bench online-step: --batch and --threads must be >= 1, --seconds > 0 and --warmup >= 0");
            return 2;
        }
        Parameterization p;
        try {
            p = Parameterization.parse(param);
            Parameterization.width(model);
        } catch (IllegalArgumentException e) {
            System.err.println("optlab bench online-step: " + e.getMessage());
            return 2;
        }
        List<StepTiming.Result> results = new ArrayList<>();
        for (DType dtype : DType.values()) {
            try {
                results.add(StepTiming.measure(model, p, dtype, batch, threads, warmup, seconds, backend));
            } catch (BackendUnavailableException e) {
                System.err.println("optlab bench online-step: " + e.getMessage());
                return 1;
            }
        }
        FmaPeak.Table peak = FmaPeak.Table.measure(List.of(DType.values()), List.of(threads), 1.0);
        OptionalDouble flops;
        try (Model m = p.build(model, DType.F32, InitScheme.PYTORCH, 0)) {
            flops = StepFlops.of(model, m, batch, p.kind() != Parameterization.Kind.STANDARD);
        }
        PrintWriter out = new PrintWriter(System.out, true);
        StepFlops.header(out, peak, flops);
        for (StepTiming.Result r : results) {
            String rate = StepFlops.rate(flops, r.medianSecondsPerStep(), peak, r.dtype().name(), r.threads());
            out.printf(Locale.ROOT, "%s %s %s batch %d, %d thread%s: %.3f ms/step median, %.3f best of 10 windows"
                    + " (%d steps)%s%n", r.model(), r.parameterization(), r.dtype().name(), r.batch(), r.threads(),
                    r.threads() == 1 ? "" : "s", r.medianSecondsPerStep() * 1e3, r.bestSecondsPerStep() * 1e3, r.steps(),
                    rate.isEmpty() ? "" : "; median " + rate);
        }
        out.flush();
        return 0;
    }
}
