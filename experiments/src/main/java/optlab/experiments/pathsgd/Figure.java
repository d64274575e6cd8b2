package optlab.experiments.pathsgd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.plot.GridFigure;

/**
 * The paper's figure: a row per init (balanced, unbalanced), columns training cross-entropy (log scale, from
 * the initial model on) and test error (%, from epoch 1 on), against epochs, the chosen run of each method
 * overlaid; each panel's subtitle gives the chosen steps.
 */
final class Figure {
    private Figure() {
    }

    static List<Path> write(Settings s, List<Recipe.Choice> choices, Path prefix, Collection<FigureFormat> formats) {
        List<GridFigure.Panel> panels = new ArrayList<>();
        for (InitKind init : s.inits()) {
            List<GridFigure.Series> loss = new ArrayList<>(), test = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            for (Recipe.Choice c : choices) {
                if (c.init() != init) {
                    continue;
                }
                steps.add(c.method().label() + " " + c.chosen().map(k -> "1e-" + k.alpha()).orElse("none (all diverged)"));
                if (c.chosen().isEmpty()) {
                    continue;
                }
                String label = c.method().label();
                Curves k = c.curves();
                loss.add(new GridFigure.Series(label, k.epoch(), k.trainLoss()));
                // From epoch 1 on: the untrained model's ~90% error would squash the differences that matter.
                int from = k.size() > 1 ? 1 : 0;
                double[] epochs = java.util.Arrays.copyOfRange(k.epoch(), from, k.size());
                double[] percent = java.util.Arrays.copyOfRange(k.testError(), from, k.size());
                for (int i = 0; i < percent.length; i++) {
                    percent[i] *= 100;
                }
                test.add(new GridFigure.Series(label, epochs, percent));
            }
            String chosen = "steps chosen on validation error: " + String.join(", ", steps);
            panels.add(new GridFigure.Panel(init.key() + " init: training loss", chosen, "epoch", "cross-entropy", true, loss));
            panels.add(new GridFigure.Panel(init.key() + " init: test error", chosen, "epoch", "test error (%)", false, test));
        }
        String title = "Path-SGD, SGD and AdaGrad: ReLU MLP H-H with H = " + s.hidden() + " on " + dataName(s)
                + (s.dropout() > 0 ? ", dropout " + s.dropout() : "") + ", minibatch " + s.batch();
        return GridFigure.write(title, 2, panels, prefix, formats, 560, 380);
    }

    static String dataName(Settings s) {
        return s.data().isTextual() ? s.data().asText() : s.data().path("source").asText("data");
    }
}
