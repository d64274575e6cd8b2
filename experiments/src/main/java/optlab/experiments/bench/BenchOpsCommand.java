package optlab.experiments.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: to be implemented. */
@Command(name = "ops", mixinStandardHelpOptions = true, description = "Not implemented yet.")
public final class BenchOpsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("bench ops: not implemented yet");
        return 2;
    }
}
