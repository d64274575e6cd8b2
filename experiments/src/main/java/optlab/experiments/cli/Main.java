package optlab.experiments.cli;

import optlab.experiments.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code optlab} command-line tool: one launcher, a subcommand per job. */
@Command(name = "optlab", mixinStandardHelpOptions = true, version = "optlab 0.1.0",
        description = "Research toolkit for how neural networks are optimized.",
        subcommands = {BenchCommand.class, TrainCommand.class, PlotCommand.class, RunCommand.class, SweepCommand.class,
            GpuCommand.class})
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
        System.exit(commandLine().execute(args));
    }

    /**
     * The launcher with optlab's one error style: a usage error exits 2 with picocli's message; a bad value
     * (IllegalArgumentException, e.g. a config field) exits 2 naming it; any other failure exits 1 naming what
     * failed. No stack traces for user errors.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String who = cmd.getCommandSpec().qualifiedName();
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println(who + ": " + e.getMessage());
                return 2;
            }
            cmd.getErr().println(who + ": failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return cli;
    }
}
