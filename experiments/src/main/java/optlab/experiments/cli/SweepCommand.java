package optlab.experiments.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code optlab sweep KIND}: hyperparameter sweeps run in parallel and resumably on this machine. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Runs a sweep of online training runs in parallel (one run per core), resumable, then its "
                + "summary and figures.", "Kinds are the subcommands below; 'optlab sweep KIND --help' lists presets and options."},
        subcommands = {GammaEtaCommand.class})
public final class SweepCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
