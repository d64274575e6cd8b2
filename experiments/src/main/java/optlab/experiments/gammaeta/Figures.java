package optlab.experiments.gammaeta;

import optlab.experiments.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.plot.FitLine;
import optlab.experiments.plot.PhaseCell;
import optlab.experiments.plot.PhaseDiagram;
import optlab.experiments.plot.ScalingFigure;
import optlab.experiments.plot.ScalingSeries;

/**
 * The figures of a (γ0, η0) sweep, drawn from its report: the phase diagram (phase.png/svg), the training-loss
 * curves of selected γ0 at their η_max against steps (curves_steps) and against the rescaled time τ = η0·t/γ0
 * (curves_tau), and the top Hessian eigenvalue against γ0 (hessian).
 *
 * <p>Why τ = η0·t/γ0: in our μP notation the output is f/γ0 and lr = N·η0, so one SGD step moves the hidden
 * features by O(η0/γ0) (the readout's 1/N cancels N·η0's N; the 1/γ0 multiplies the loss gradient); at large γ0
 * the network has to grow its features from O(1) to O(γ0^(1/L)) before the output can fit the targets, and that
 * escape takes a time ∝ γ0/η0 steps (the integral of dw/w^(L−1) converges at the start). Curves of different
 * large γ0 therefore line up against η0·t/γ0 (the paper's "similar trajectories up to a reparameterization of
 * time"); at small γ0 they do not (lazy: the time scale is γ0²/η0 instead).
 */
final class Figures {
    private Figures() {
    }

    static List<Path> all(Report report) throws IOException {
        List<Path> out = new ArrayList<>(phase(report));
        out.addAll(curves(report));
        out.addAll(hessian(report));
        return out;
    }

    static List<Path> phase(Report r) {
        Settings s = r.spec();
        List<PhaseCell> cells = new ArrayList<>();
        for (Report.Cell c : r.cells()) {
            double v = c.result().finalTestLoss();
            cells.add(c.result().diverged() || !(v > 0) || !Double.isFinite(v) ? PhaseCell.divergedAt(c.gamma0(s), c.eta0(s))
                    : new PhaseCell(c.gamma0(s), c.eta0(s), Math.log10(v), false));
        }
        if (cells.isEmpty()) {
            return List.of();
        }
        List<double[]> boundary = new ArrayList<>();
        for (Report.Chain c : r.chains()) {
            if (c.etaMax() != null) {
                boundary.add(new double[] {s.gammaGrid().value(c.kg()), s.etaGrid().value(c.etaMax())});
            }
        }
        List<FitLine> fits = new ArrayList<>();
        if (r.small() != null) {
            fits.add(new FitLine("eta_max, gamma0 < " + fmt(s.smallBelow()), r.small()));
        }
        if (r.large() != null) {
            fits.add(new FitLine("eta_max, gamma0 > " + fmt(s.largeAbove()), r.large()));
        }
        String title = String.format(Locale.ROOT, "(gamma0, eta0) phase diagram: %s, %s, %d steps of batch %d",
                s.run().path("model").asText(), s.run().path("loss").asText("mse"), s.run().path("steps").asLong(),
                s.run().path("batch_size").asInt(64));
        return PhaseDiagram.write(r.dir().resolve("phase"), title, "log10 final online test loss", cells, boundary, fits);
    }

    /**
     * Against steps: the runs at η_max (catapult spikes at small γ0, plateaus at large γ0). Against τ: the runs one
     * decade below η_max, clear of the edge of stability, where η0 ∝ γ0^(2/L) at large γ0 as the optimum does.
     */
    static List<Path> curves(Report r) throws IOException {
        Settings s = r.spec();
        List<ScalingSeries> bySteps = new ArrayList<>(), byTau = new ArrayList<>();
        for (int kg : s.curves()) {
            Report.Chain chain = r.chains().stream().filter(c -> c.kg() == kg).findFirst().orElse(null);
            if (chain == null || chain.etaMax() == null) {
                continue;
            }
            double g = s.gammaGrid().value(kg);
            double[][] atMax = logBinned(ChainJob.runFolder(s, r.dir(), kg, chain.etaMax()).resolve(RunFolder.STEPS));
            bySteps.add(ScalingSeries.curve(String.format(Locale.ROOT, "gamma0 = %.3g, eta0 = eta_max = %.3g", g,
                    s.etaGrid().value(chain.etaMax())), atMax[0], atMax[1]));
            int below = chain.etaMax() - s.etaGrid().perDecade();
            if (chain.at(below).isPresent() && !chain.at(below).get().result().diverged()) {
                double eta = s.etaGrid().value(below);
                double[][] c = logBinned(ChainJob.runFolder(s, r.dir(), kg, below).resolve(RunFolder.STEPS));
                double[] tau = c[0].clone();
                for (int i = 0; i < tau.length; i++) {
                    tau[i] *= eta / g;
                }
                byTau.add(ScalingSeries.curve(String.format(Locale.ROOT, "gamma0 = %.3g, eta0 = eta_max/10 = %.3g", g,
                        eta), tau, c[1]));
            }
        }
        String loss = "online training loss (mean over log-spaced bins of steps)";
        List<Path> out = new ArrayList<>();
        if (!bySteps.isEmpty()) {
            out.addAll(ScalingFigure.write(r.dir().resolve("curves_steps"), "Loss curves at eta_max against steps",
                    "step t", loss, bySteps, List.of()));
        }
        if (!byTau.isEmpty()) {
            out.addAll(ScalingFigure.write(r.dir().resolve("curves_tau"),
                    "Loss one decade below eta_max against tau = eta0 t / gamma0 (large gamma0 collapse)",
                    "tau = eta0 t / gamma0", loss, byTau, List.of()));
        }
        return out;
    }

    /** (step, loss) of a steps.csv averaged over 20 bins per decade of steps (step 0 left out: log axis). */
    static double[][] logBinned(Path stepsCsv) throws IOException {
        List<String> lines = Files.readAllLines(stepsCsv);
        int bins = 20;
        List<double[]> out = new ArrayList<>();
        int bin = Integer.MIN_VALUE;
        double sx = 0, sy = 0;
        int n = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            long step = Long.parseLong(cells[0]);
            double loss = Double.parseDouble(cells[1]);
            if (step < 1 || !Double.isFinite(loss)) {
                continue;
            }
            int b = (int) Math.floor(Math.log10(step) * bins);
            if (b != bin && n > 0) {
                out.add(new double[] {sx / n, sy / n});
                sx = sy = n = 0;
            }
            bin = b;
            sx += step;
            sy += loss;
            n++;
        }
        if (n > 0) {
            out.add(new double[] {sx / n, sy / n});
        }
        return new double[][] {out.stream().mapToDouble(p -> p[0]).toArray(), out.stream().mapToDouble(p -> p[1]).toArray()};
    }

    static List<Path> hessian(Report r) {
        Settings s = r.spec();
        List<double[]> lam = new ArrayList<>(), edge = new ArrayList<>();
        double scale = r.lrScale();
        for (Report.Chain c : r.chains()) {
            r.hessianCell(c).ifPresent(cell -> lam.add(new double[] {cell.gamma0(s), cell.result().hessianTop()}));
            if (c.etaMax() != null) {
                edge.add(new double[] {s.gammaGrid().value(c.kg()), 2 / (scale * s.etaGrid().value(c.etaMax()))});
            }
        }
        if (lam.isEmpty()) {
            return List.of();
        }
        List<ScalingSeries> series = List.of(
                points("lambda_max at eta0 = eta_max / 10, end of training", lam),
                points("2 / lr_max (edge of stability)", edge));
        List<FitLine> fits = new ArrayList<>();
        if (r.hessianSmall() != null) {
            fits.add(new FitLine("lambda_max, gamma0 < " + fmt(s.smallBelow()), r.hessianSmall()));
        }
        if (r.hessianLarge() != null) {
            fits.add(new FitLine("lambda_max, gamma0 > " + fmt(s.largeAbove()), r.hessianLarge()));
        }
        String expected = r.depth() > 0 ? String.format(Locale.ROOT, "-2/L = %.3g", -2.0 / r.depth()) : "-2/L";
        return ScalingFigure.write(r.dir().resolve("hessian"),
                "Top Hessian eigenvalue against gamma0 (expected slopes -2 lazy, " + expected + " rich)",
                "gamma0", "lambda_max", series, fits);
    }

    private static ScalingSeries points(String label, List<double[]> pts) {
        List<double[]> positive = pts.stream().filter(p -> p[1] > 0 && Double.isFinite(p[1])).toList();
        return ScalingSeries.points(label, positive.stream().mapToDouble(p -> p[0]).toArray(),
                positive.stream().mapToDouble(p -> p[1]).toArray());
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
