package optlab.experiments.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: to be implemented. */
@Command(name = "gemm", mixinStandardHelpOptions = true, description = "Not implemented yet.")
public final class BenchGemmCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("bench gemm: not implemented yet");
        return 2;
    }
}
