package optlab.experiments.cli;

import optlab.experiments.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code optlab} command-line tool: one launcher, a subcommand per job. */
@Command(name = "optlab", mixinStandardHelpOptions = true, version = "optlab 0.1.0",
        description = "Research toolkit for how neural networks are optimized.",
        subcommands = {BenchCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
