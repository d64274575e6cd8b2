package optlab.experiments.integrators;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import optlab.experiments.plot.FigureFormat;
import optlab.experiments.plot.GridFigure;

/** The recipe's figures: learning curves by epoch and by gradient evaluation, and Euler's modified flow. */
final class Figures {
    private Figures() {
    }

    /**
     * A row per model at its figure lr: training loss against epochs, training loss against gradient evaluations
     * (log y), test accuracy against gradient evaluations; each rule's mean over seeds with its min–max band.
     */
    static List<Path> curves(Settings s, Analysis a, Path prefix, Collection<FigureFormat> formats) {
        List<GridFigure.Panel> panels = new ArrayList<>();
        for (int m = 0; m < s.models().size(); m++) {
            double lr = a.figureLr().get(m);
            List<GridFigure.Series> byEpoch = new ArrayList<>(), byEvals = new ArrayList<>(), acc = new ArrayList<>();
            for (Analysis.RuleResult r : a.at(m, lr)) {
                if (r.completed() == 0) {
                    continue;
                }
                byEpoch.add(series(r.rule(), r.lossByEpoch(), 1));
                byEvals.add(series(r.rule(), r.lossByEvals(), 1));
                acc.add(series(r.rule(), r.accByEvals(), 100));
            }
            String model = s.models().get(m), sub = model + ", lr " + Settings.lrText(lr) + ", " + s.seeds()
                    + " seeds (band: min-max)";
            panels.add(new GridFigure.Panel(s.modelKey(m) + ": training loss by epoch", sub, "epoch", "cross-entropy",
                    true, byEpoch));
            panels.add(new GridFigure.Panel(s.modelKey(m) + ": training loss by cost", sub, "gradient evaluations",
                    "cross-entropy", true, byEvals));
            panels.add(new GridFigure.Panel(s.modelKey(m) + ": test accuracy by cost", sub, "gradient evaluations",
                    "test accuracy (%)", false, acc));
        }
        String title = "Gradient descent as an integrator: " + String.join(", ", s.rules()) + " (" + dataName(s) + ", batch "
                + s.batch() + ")";
        return GridFigure.write(title, 3, panels, prefix, formats, 520, 360);
    }

    private static GridFigure.Series series(String label, Analysis.Band b, double scale) {
        return new GridFigure.Series(label, b.x(), scaled(b.mean(), scale), scaled(b.lo(), scale), scaled(b.hi(), scale));
    }

    private static double[] scaled(double[] v, double k) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] *= k;
        }
        return o;
    }

    /**
     * Left: distance of Euler's iterate at T from the flow of L and from the flow of L̃ = L + (h/4)‖∇L‖², against h
     * (log y); right: both distances along the run at the largest h, against time.
     */
    static List<Path> modifiedFlow(ModifiedFlow.Result r, Path prefix, Collection<FigureFormat> formats) {
        double[] hs = r.config().hs();
        String sub = String.format(java.util.Locale.ROOT, "slopes in log h: %.2f (flow of L), %.2f (modified flow)",
                r.slopes()[0], r.slopes()[1]);
        GridFigure.Panel byH = new GridFigure.Panel("|Euler - flow| at T = " + r.config().time(), sub, "step h",
                "distance", true, List.of(new GridFigure.Series("flow of L", hs, r.toL()),
                new GridFigure.Series("flow of L + (h/4)|grad L|^2", hs, r.toModified())));
        GridFigure.Panel byT = new GridFigure.Panel("along the run, h = " + hs[0], "distance at each step",
                "time t = k h", "distance", false, List.of(new GridFigure.Series("flow of L", r.time(), r.alongL()),
                new GridFigure.Series("flow of L + (h/4)|grad L|^2", r.time(), r.alongModified())));
        return GridFigure.write("Euler follows the modified flow (Barrett & Dherin 2021): tanh net, " + r.config().hidden()
                + " hidden units, full batch of " + r.config().batch() + ", F64", 2, List.of(byH, byT), prefix, formats,
                560, 380);
    }

    static String dataName(Settings s) {
        return s.data().isTextual() ? s.data().asText() : s.data().path("source").asText("data");
    }
}
