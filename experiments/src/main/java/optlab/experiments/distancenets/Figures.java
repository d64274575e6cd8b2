package optlab.experiments.distancenets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import optlab.experiments.pathsgd.Curves;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.plot.GridFigure;

/**
 * The recipe's three figures: {@code curves} (the distance net, a row per depth, columns training cross-entropy and
 * test error, the chosen run of each method overlaid), {@code archs} (a row per depth, every architecture with its
 * best method by validation error) and {@code gradients} (per-layer gradient norms at initialization and after the
 * first epoch, a column per architecture, a series per depth, from the runs of the authors' RMSProp where present).
 */
final class Figures {
    private Figures() {
    }

    static List<Path> write(Settings s, List<Recipe.Choice> choices, Path dir, Collection<FigureFormat> formats) {
        List<Path> files = new ArrayList<>();
        Arch main = s.archs().contains(Arch.DISTANCE) ? Arch.DISTANCE : s.archs().getFirst();
        List<GridFigure.Panel> panels = new ArrayList<>();
        for (int depth : s.depths()) {
            List<Recipe.Choice> row = choices.stream().filter(c -> c.arch() == main && c.depth() == depth).toList();
            curvePanels(panels, main.label() + ", " + depth + " hidden", row, c -> c.method().label(),
                    c -> c.method().label());
        }
        files.addAll(GridFigure.write(main.label() + " on " + dataName(s) + ": each method at its chosen step, minibatch "
                + s.batch(), 2, panels, dir.resolve("curves"), formats, 520, 320));
        if (s.archs().size() > 1) {
            panels = new ArrayList<>();
            for (int depth : s.depths()) {
                List<Recipe.Choice> row = new ArrayList<>();
                for (Arch a : s.archs()) {
                    best(choices, a, depth).ifPresent(row::add);
                }
                // One colour per architecture in every row; which method won is in the subtitle.
                curvePanels(panels, depth + " hidden", row, c -> c.arch().label(),
                        c -> c.arch().key() + " " + c.method().key());
            }
            files.addAll(GridFigure.write("Architectures on " + dataName(s) + ", each with its best method",
                    2, panels, dir.resolve("archs"), formats, 520, 320));
        }
        files.addAll(gradients(s, choices, dir, formats));
        return files;
    }

    /** The choice of {@code arch} at {@code depth} with the lowest validation error, over methods. */
    static Optional<Recipe.Choice> best(List<Recipe.Choice> choices, Arch arch, int depth) {
        return choices.stream().filter(c -> c.arch() == arch && c.depth() == depth && c.chosen().isPresent()
                        && Double.isFinite(c.finalValidationError()))
                .min(Comparator.comparingDouble(Recipe.Choice::finalValidationError));
    }

    private static void curvePanels(List<GridFigure.Panel> panels, String title, List<Recipe.Choice> row,
            Function<Recipe.Choice, String> label, Function<Recipe.Choice, String> step) {
        List<GridFigure.Series> loss = new ArrayList<>(), test = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        for (Recipe.Choice c : row) {
            steps.add(step.apply(c) + " " + c.chosen().map(k -> Recipe.lrKey(k.lr())).orElse("none"));
            if (c.curves() == null) {
                continue;
            }
            Curves k = c.curves();
            loss.add(new GridFigure.Series(label.apply(c), k.epoch(), k.trainLoss()));
            // From epoch 1 on: the untrained model's ~90% error would squash the differences that matter.
            int from = k.size() > 1 ? 1 : 0;
            double[] percent = Arrays.copyOfRange(k.testError(), from, k.size());
            for (int i = 0; i < percent.length; i++) {
                percent[i] *= 100;
            }
            test.add(new GridFigure.Series(label.apply(c), Arrays.copyOfRange(k.epoch(), from, k.size()), percent));
        }
        String sub = "steps: " + String.join(", ", steps);
        panels.add(new GridFigure.Panel(title + ": training loss", sub, "epoch", "cross-entropy", true, loss));
        panels.add(new GridFigure.Panel(title + ": test error", sub, "epoch", "test error (%)", false, test));
    }

    private static List<Path> gradients(Settings s, List<Recipe.Choice> choices, Path dir, Collection<FigureFormat> formats) {
        Method m = Report.gradientMethod(s);
        List<GridFigure.Panel> init = new ArrayList<>(), after = new ArrayList<>();
        for (Arch a : s.archs()) {
            List<GridFigure.Series> i0 = new ArrayList<>(), i1 = new ArrayList<>();
            for (Recipe.Choice c : choices) {
                if (c.arch() != a || c.method() != m || c.folder() == null) {
                    continue;
                }
                GradientFlow g = GradientFlow.read(c.folder());
                if (g == null) {
                    continue;
                }
                i0.add(new GridFigure.Series(c.depth() + " hidden", g.layerNumbers(), g.atInit()));
                if (g.afterEpoch() != null) {
                    i1.add(new GridFigure.Series(c.depth() + " hidden", g.layerNumbers(), g.afterEpoch()));
                }
            }
            init.add(new GridFigure.Panel(a.label() + ": at init", "layer 1 = input side", "layer", "gradient norm", true, i0));
            after.add(new GridFigure.Panel(a.label() + ": after epoch 1", m.label() + " at its chosen step", "layer",
                    "gradient norm", true, i1));
        }
        List<GridFigure.Panel> panels = new ArrayList<>(init);
        panels.addAll(after);
        return GridFigure.write("Per-layer gradient norms (minibatch " + s.batch() + ") against depth",
                s.archs().size(), panels, dir.resolve("gradients"), formats, 380, 300);
    }

    static String dataName(Settings s) {
        return s.data().isTextual() ? s.data().asText() : s.data().path("source").asText("data");
    }
}
