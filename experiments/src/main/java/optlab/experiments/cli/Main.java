package optlab.experiments.cli;

import optlab.experiments.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code optlab} command-line tool: one launcher, a subcommand per job. */
@Command(name = "optlab", mixinStandardHelpOptions = true, version = "optlab 0.1.0",
        description = "Research toolkit for how neural networks are optimized.",
        subcommands = {BenchCommand.class, TrainCommand.class, PlotCommand.class, RunCommand.class, SweepCommand.class})
public final class Main implements Runnable {

    /** Set before any kernel class loads, so the species stay JIT constants (see Simd). */
    @Option(names = "--vector", paramLabel = "WIDTH", scope = CommandLine.ScopeType.INHERIT,
            description = "Force the SIMD width of the CPU kernels: preferred (default), 128, 256, 512 or scalar.")
    void vector(String width) {
        System.setProperty("optlab.vector", width);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
