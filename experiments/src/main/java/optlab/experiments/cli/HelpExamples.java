package optlab.experiments.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * A worked example at the foot of every command's {@code --help}, kept in one table so the examples read as one
 * tutorial and a command without one is caught by a test ({@code HelpTest}). Commands whose own footer already
 * shows an example keep theirs; the others get these lines appended after their footer. Lines stay within picocli's
 * 80 columns (it wraps longer ones): a command line, then a "#" line saying what it does.
 */
final class HelpExamples {
    private HelpExamples() {
    }

    /** Qualified command name → example lines (a command line, then what it does). */
    static final Map<String, List<String>> EXAMPLES = Map.ofEntries(
            Map.entry("optlab", List.of(
                    "optlab train experiments/configs/fashion-mlp.json",
                    "# the main job: an MLP on Fashion-MNIST -> runs/fashion-mlp/",
                    "optlab train --help",
                    "# any command's options, with an example")),
            Map.entry("optlab plot", List.of(
                    "optlab plot runs/a runs/b --smooth 20 --log-y --out runs/a-vs-b",
                    "# both runs' curves overlaid in runs/a-vs-b.png and .svg")),
            Map.entry("optlab run", List.of(
                    "optlab run path-sgd --preset quick",
                    "# Path-SGD vs SGD and AdaGrad on Fashion-MNIST -> runs/path-sgd-quick/")),
            Map.entry("optlab run path-sgd", List.of(
                    "optlab run path-sgd --preset quick --workers 2",
                    "# 18 runs, figure, summary; the same command again resumes")),
            Map.entry("optlab run path-geometry", List.of(
                    "optlab run path-geometry --preset quick",
                    "# 19 runs, each retraced against its end point -> runs/path-geometry-quick/")),
            Map.entry("optlab run gamma-eta", List.of(
                    "optlab run gamma-eta --preset quick --steps 300 --out runs/ge",
                    "# eta_max per gamma0, phase diagram, fitted slopes")),
            Map.entry("optlab run gamma-toy", List.of(
                    "optlab run gamma-toy --depth 3 --out runs/toy3",
                    "# eta_max(gamma) measured beside its closed form")),
            Map.entry("optlab run distance-nets", List.of(
                    "optlab run distance-nets --preset quick",
                    "# distance networks against ReLU and sigmoid MLPs")),
            Map.entry("optlab run integrators", List.of(
                    "optlab run integrators --preset quick --rules euler,heun,rk4",
                    "# compared at equal epochs and at equal gradient evaluations")),
            Map.entry("optlab sweep", List.of(
                    "optlab sweep grid experiments/configs/fashion-mlp.json \\",
                    "    --vary seed=0,1,2 --out runs/seeds",
                    "# three seeds of the main job, in parallel, resumable")),
            Map.entry("optlab sweep gamma-eta", List.of(
                    "optlab sweep gamma-eta --preset quick --steps 300",
                    "# the older name of 'optlab run gamma-eta'")),
            Map.entry("optlab bench", List.of(
                    "optlab bench gemm --quick --shapes sq1024",
                    "# a rough GEMM figure beside OpenBLAS in about a minute")),
            Map.entry("optlab bench gemm", List.of(
                    "optlab bench gemm --shapes sq1024,mlp --threads 2 --json gemm.json",
                    "# GFLOP/s beside OpenBLAS (its core named) and the measured FMA peak")),
            Map.entry("optlab bench ops", List.of(
                    "optlab bench ops --ops add,softmax-last --dtype f32 --threads 1",
                    "# GB/s of two ops beside a plain copy of the same tensor")),
            Map.entry("optlab bench online-step", List.of(
                    "optlab bench online-step --seconds 10 --warmup 10",
                    "# ms per muP SGD step, F32 and F64")),
            Map.entry("optlab bench step-compare", List.of(
                    "optlab bench step-compare --a sgd:lr=0.01 --b rk4:lr=0.01 --seconds 20",
                    "# the cost of RK4 against SGD, step for step")),
            Map.entry("optlab bench path-step", List.of(
                    "optlab bench path-step --model mlp:784-1000-1000-10 --seconds 10",
                    "# the Path-SGD/SGD step-time ratio")),
            Map.entry("optlab sweep task", List.of(
                    "optlab sweep task runs/ge/slurm/tasks/00003.json",
                    "# what SLURM array task 3 of 'run ... --executor slurm' runs")),
            Map.entry("optlab gpu", List.of(
                    "optlab gpu check && optlab gpu gemm 4096 8192",
                    "# CUDA kernels vs the reference backend, then GEMM GFLOP/s")),
            Map.entry("optlab completion", List.of(
                    "source <(optlab completion)",
                    "# completion in this bash (or zsh) session; for every new shell:",
                    "optlab completion > ~/.local/share/bash-completion/completions/optlab")));

    /** Appends each command's example to its footer, in the whole tree under {@code cli}, unless it has one. */
    static void addTo(CommandLine cli) {
        UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        List<String> example = EXAMPLES.get(cli.getCommandSpec().qualifiedName());
        String[] footer = usage.footer();
        boolean has = String.join("\n", footer).contains("Example");
        if (example != null && !has) {
            List<String> lines = new ArrayList<>(List.of(footer));
            lines.add("");
            long commands = example.stream().filter(l -> l.startsWith("optlab") || l.startsWith("source")).count();
            lines.add(commands > 1 ? "Examples:" : "Example:");
            example.forEach(l -> lines.add("  " + l));
            usage.footer(lines.toArray(String[]::new));
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getParent() == cli) { // aliases appear twice; visit each command once
                addTo(sub);
            }
        }
    }
}
