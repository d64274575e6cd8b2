package optlab.experiments.integrators;

import java.util.ArrayList;
import java.util.List;

/**
 * The recipe's KPIs from its run folders. Per (model, lr, rule) over the seeds: final training loss and test
 * accuracy at equal epochs; the same at equal gradient evaluations (every rule's curves interpolated at the budget
 * B, the fewest gradient evaluations any rule's completed run spent, i.e. Euler's whole run, where rk4 has done a
 * quarter of its epochs); each as a {@link Kpis.Spread} (mean, std, min–max); wall seconds and gradient
 * evaluations per epoch. Per (model, rule) on the ladder: the largest stable lr. Per model: the lr the figure shows
 * (the largest at which every run of every rule completed, else the smallest).
 */
record Analysis(List<RuleResult> results, List<Stability> stability, List<Double> figureLr) {

    /** The KPIs of one rule at one (model, lr); curves are mean and min–max over the completed seeds. */
    record RuleResult(int model, String rule, double lr, int runs, int completed, double budget, Kpis.Spread lossAtEpochs,
            Kpis.Spread accAtEpochs, Kpis.Spread lossAtEvals, Kpis.Spread accAtEvals, Kpis.Spread secondsPerEpoch,
            Kpis.Spread gradEvalsPerEpoch, Band lossByEpoch, Band lossByEvals, Band accByEvals) {
    }

    /** A curve over seeds: x (mean over seeds), mean, min and max of y at each evaluation all seeds reached. */
    record Band(double[] x, double[] mean, double[] lo, double[] hi) {
        static Band of(List<double[]> xs, List<double[]> ys) {
            int n = ys.stream().mapToInt(a -> a.length).min().orElse(0);
            double[] x = new double[n], mean = new double[n], lo = new double[n], hi = new double[n];
            for (int i = 0; i < n; i++) {
                double[] at = new double[ys.size()], xi = new double[xs.size()];
                for (int k = 0; k < ys.size(); k++) {
                    at[k] = ys.get(k)[i];
                    xi[k] = xs.get(k)[i];
                }
                Kpis.Spread sy = Kpis.Spread.of(at);
                x[i] = Kpis.Spread.of(xi).mean();
                mean[i] = sy.mean();
                lo[i] = sy.min();
                hi[i] = sy.max();
            }
            return new Band(x, mean, lo, hi);
        }
    }

    /** One rule's ladder on one model. */
    record Stability(int model, String rule, List<Kpis.Rung> rungs, double maxStable, double firstUnstable) {
    }

    static Analysis of(Settings s, List<Recipe.GridRun> grid) {
        List<RuleResult> results = new ArrayList<>();
        List<Double> figureLr = new ArrayList<>();
        for (int m = 0; m < s.models().size(); m++) {
            double shown = Double.NaN;
            for (double lr : s.lrs()) {
                List<List<RunCurves>> byRule = new ArrayList<>();
                double budget = Double.POSITIVE_INFINITY;
                boolean all = true;
                for (String rule : s.rules()) {
                    List<RunCurves> runs = new ArrayList<>();
                    for (Recipe.GridRun g : grid) {
                        if (!g.ladder() && g.model() == m && g.rule().equals(rule) && g.lr() == lr) {
                            RunCurves c = RunCurves.read(g.config().out());
                            runs.add(c);
                            all &= c.completed();
                            if (c.completed()) {
                                budget = Math.min(budget, c.totalGradEvals());
                            }
                        }
                    }
                    byRule.add(runs);
                }
                if (all) {
                    shown = lr;
                }
                for (int r = 0; r < s.rules().size(); r++) {
                    results.add(result(m, s.rules().get(r), lr, byRule.get(r), Double.isFinite(budget) ? budget : Double.NaN));
                }
            }
            figureLr.add(Double.isNaN(shown) ? s.lrs().get(0) : shown);
        }
        List<Stability> stability = new ArrayList<>();
        for (int m : s.ladderModels()) {
            for (String rule : s.rules()) {
                List<Kpis.Rung> rungs = new ArrayList<>();
                for (Recipe.GridRun g : grid) {
                    if (g.ladder() && g.model() == m && g.rule().equals(rule)) {
                        RunCurves c = RunCurves.read(g.config().out());
                        rungs.add(new Kpis.Rung(g.lr(), Kpis.unstable(c.completed(), c.stepLoss(), s.divergeFactor())));
                    }
                }
                stability.add(new Stability(m, rule, rungs, Kpis.maxStable(rungs), Kpis.firstUnstable(rungs)));
            }
        }
        return new Analysis(results, stability, figureLr);
    }

    static RuleResult result(int model, String rule, double lr, List<RunCurves> runs, double budget) {
        List<RunCurves> done = runs.stream().filter(RunCurves::completed).toList();
        int n = done.size();
        double[] lossE = new double[n], accE = new double[n], lossB = new double[n], accB = new double[n];
        double[] sec = new double[n], evals = new double[n];
        List<double[]> epochs = new ArrayList<>(), gradEvals = new ArrayList<>(), losses = new ArrayList<>(),
                accs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RunCurves c = done.get(i);
            lossE[i] = last(c.trainLoss());
            accE[i] = last(c.testAcc());
            lossB[i] = Kpis.interpolate(c.gradEvals(), c.trainLoss(), budget);
            accB[i] = Kpis.interpolate(c.gradEvals(), c.testAcc(), budget);
            sec[i] = c.trainSeconds() / c.epochs();
            evals[i] = c.totalGradEvals() / c.epochs();
            epochs.add(c.epoch());
            gradEvals.add(c.gradEvals());
            losses.add(c.trainLoss());
            accs.add(c.testAcc());
        }
        return new RuleResult(model, rule, lr, runs.size(), n, budget, Kpis.Spread.of(lossE), Kpis.Spread.of(accE),
                Kpis.Spread.of(lossB), Kpis.Spread.of(accB), Kpis.Spread.of(sec), Kpis.Spread.of(evals),
                Band.of(epochs, losses), Band.of(gradEvals, losses), Band.of(gradEvals, accs));
    }

    private static double last(double[] v) {
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    List<RuleResult> at(int model, double lr) {
        return results.stream().filter(r -> r.model() == model && r.lr() == lr).toList();
    }
}
