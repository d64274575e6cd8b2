package optlab.experiments.cli;

import optlab.experiments.bench.BenchCommand;
import optlab.experiments.data.SystemPackages;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code optlab} command-line tool: one launcher, a subcommand per job. */
@Command(name = "optlab", mixinStandardHelpOptions = true, version = "optlab 0.1.0",
        description = "Research toolkit for how neural networks are optimized.",
        subcommands = {BenchCommand.class, TrainCommand.class, PlotCommand.class, RunCommand.class, SweepCommand.class,
                GpuCommand.class, CompletionCommand.class},
        exitCodeListHeading = "%nExit status (every command):%n",
        exitCodeList = {"0:done (a sweep's diverged runs are results, not failures)",
                "1:failed (the message names what failed)",
                "2:usage or config error (the message names the flag or field)",
                "3:diverged ('optlab train': NaN/Inf loss or weights; summary.json names the step)"})
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

    /**
     * The launcher's entry point ({@code ./optlab}, {@code image/bin/optlab}): as {@link #commandLine()}, and a Debian
     * package a command needs but misses (Fashion-MNIST, OpenBLAS) is installed when it can be (see {@link Installer}).
     */
    public static void main(String[] args) {
        SystemPackages.use(Installer.onFirstUse());
        System.exit(commandLine().execute(args));
    }

    /** Exit status of a command that did its job. */
    public static final int OK = 0;
    /** Exit status of a failure (I/O, a failed run, a bug): the message names what failed. */
    public static final int FAILED = 1;
    /** Exit status of a usage or config error: the message names the flag or field. */
    public static final int USAGE = 2;
    /** Exit status of {@code optlab train} when the run diverged (NaN/Inf loss or weights). */
    public static final int DIVERGED = 3;

    /**
     * The launcher with optlab's one error style: a usage error exits 2 with picocli's message; a bad value
     * (IllegalArgumentException, e.g. a config field) exits 2 naming it; any other failure exits 1 naming what
     * failed. No stack traces for user errors. Exit codes are listed in {@code optlab --help}.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        HelpExamples.addTo(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String who = cmd.getCommandSpec().qualifiedName();
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println(who + ": " + e.getMessage());
                return USAGE;
            }
            cmd.getErr().println(who + ": failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return FAILED;
        });
        return cli;
    }
}
