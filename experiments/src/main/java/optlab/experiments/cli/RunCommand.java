package optlab.experiments.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code optlab run RECIPE}: paper reproductions, one subcommand each, all sharing {@link RecipeOptions} (--preset,
 * --out, --data, --workers, --seed). Only a container: each recipe is its own command class listed in
 * {@code subcommands}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a paper reproduction recipe: its sweep of training runs (in parallel, resumable), "
                + "then its figures and summary.", "Recipes are the subcommands below; 'optlab run RECIPE --help' "
                + "lists a recipe's presets and options."},
        subcommands = {PathSgdCommand.class, PathGeometryCommand.class, GammaEtaCommand.class, GammaToyCommand.class,
                DistanceNetsCommand.class, IntegratorsCommand.class})
public final class RunCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
