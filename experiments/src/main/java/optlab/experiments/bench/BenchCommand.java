package optlab.experiments.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code optlab bench}: performance measurements with side-by-side references. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: 'gemm' (JMH, against OpenBLAS when installed), 'ops' (elementwise and reductions in GB/s), 'online-step' (one muP SGD step of a gamma-eta sweep run), 'path-step' (Path-SGD vs SGD training step, side by side).",
        subcommands = {BenchGemmCommand.class, BenchOpsCommand.class, BenchStepCommand.class, BenchStepCompareCommand.class,
            BenchPathStepCommand.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
