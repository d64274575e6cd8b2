package optlab.experiments.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code optlab sweep grid CONFIG --vary FIELD=V1,V2 ...}: a generic grid over any {@code train} config, run in
 * parallel and resumably. {@code optlab sweep gamma-eta} is kept as the older name of {@code optlab run gamma-eta}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Runs a grid of training runs in parallel (one run per core), resumable.",
                "'optlab sweep grid --help' for generic grids over a train config; 'optlab sweep gamma-eta' is the older "
                        + "name of 'optlab run gamma-eta'."},
        subcommands = {GridCommand.class, GammaEtaCommand.class, TaskCommand.class})
public final class SweepCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
