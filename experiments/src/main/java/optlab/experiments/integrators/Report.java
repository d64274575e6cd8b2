package optlab.experiments.integrators;

import static optlab.experiments.run.JsonNumbers.put;
import static optlab.experiments.run.JsonNumbers.array;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.RunFolder;
import optlab.experiments.sweep.SweepReport;

/**
 * {@code summary.txt} and {@code summary.json}. The JSON: {@code recipe}, {@code preset}, {@code settings},
 * {@code sweep} (runs, completed, diverged, failed, reused, wall_seconds); {@code results}, one per (model, lr,
 * rule): model, rule, lr, runs, completed, budget_grad_evals, and the spreads (mean, std, min, max, n)
 * {@code loss_at_epochs}, {@code acc_at_epochs} (after the last epoch), {@code loss_at_evals}, {@code acc_at_evals}
 * (at budget_grad_evals), {@code seconds_per_epoch}, {@code grad_evals_per_epoch}; {@code stability}, one per
 * (model, rule): max_stable_lr, first_unstable_lr, rungs [{lr, unstable}]; {@code figure_lr} per model;
 * {@code modified_flow}: h, to_flow_of_L, to_modified_flow, slope_L, slope_modified. Accuracies are fractions.
 */
final class Report {
    private Report() {
    }

    static List<Path> write(Settings s, Analysis a, ModifiedFlow.Result flow, SweepReport sweep, Path out)
            throws IOException {
        Path json = out.resolve(RunFolder.SUMMARY), txt = out.resolve("summary.txt");
        AtomicFiles.write(json, json(s, a, flow, sweep).toPrettyString() + "\n");
        AtomicFiles.write(txt, text(s, a, flow, sweep));
        return List.of(txt, json);
    }

    static ObjectNode json(Settings s, Analysis a, ModifiedFlow.Result flow, SweepReport sweep) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recipe", "integrators");
        o.put("preset", s.preset());
        o.set("settings", s.toJson());
        ObjectNode sw = o.putObject("sweep");
        sw.put("runs", sweep.outcomes().size());
        sw.put("completed", sweep.count("completed"));
        sw.put("diverged", sweep.count("diverged"));
        sw.put("failed", sweep.failed().size());
        sw.put("reused", sweep.reused());
        sw.put("wall_seconds", sweep.wallSeconds());
        ArrayNode results = o.putArray("results");
        for (Analysis.RuleResult r : a.results()) {
            ObjectNode x = results.addObject();
            x.put("model", s.models().get(r.model()));
            x.put("rule", r.rule());
            x.put("lr", r.lr());
            x.put("runs", r.runs());
            x.put("completed", r.completed());
            put(x, "budget_grad_evals", r.budget());
            spread(x, "loss_at_epochs", r.lossAtEpochs());
            spread(x, "acc_at_epochs", r.accAtEpochs());
            spread(x, "loss_at_evals", r.lossAtEvals());
            spread(x, "acc_at_evals", r.accAtEvals());
            spread(x, "seconds_per_epoch", r.secondsPerEpoch());
            spread(x, "grad_evals_per_epoch", r.gradEvalsPerEpoch());
        }
        ArrayNode st = o.putArray("stability");
        for (Analysis.Stability k : a.stability()) {
            ObjectNode x = st.addObject();
            x.put("model", s.models().get(k.model()));
            x.put("rule", k.rule());
            put(x, "max_stable_lr", k.maxStable());
            put(x, "first_unstable_lr", k.firstUnstable());
            ArrayNode rungs = x.putArray("rungs");
            for (Kpis.Rung g : k.rungs()) {
                rungs.addObject().put("lr", g.lr()).put("unstable", g.unstable());
            }
        }
        ObjectNode fl = o.putObject("figure_lr");
        for (int m = 0; m < s.models().size(); m++) {
            fl.put(s.models().get(m), a.figureLr().get(m));
        }
        ObjectNode mf = o.putObject("modified_flow");
        array(mf, "h", flow.config().hs());
        array(mf, "to_flow_of_L", flow.toL());
        array(mf, "to_modified_flow", flow.toModified());
        put(mf, "slope_L", flow.slopes()[0]);
        put(mf, "slope_modified", flow.slopes()[1]);
        return o;
    }

    static String text(Settings s, Analysis a, ModifiedFlow.Result flow, SweepReport sweep) {
        StringBuilder b = new StringBuilder();
        String data = !s.data().isTextual() ? Figures.dataName(s) + " (" + s.data() + ")"
                : (s.trainSamples() == 0 ? "all" : "the first " + s.trainSamples()) + " training samples of "
                        + Figures.dataName(s) + " (" + (s.testSamples() == 0 ? "all" : s.testSamples()) + " test)";
        b.append(String.format(Locale.ROOT, "Gradient descent as a numerical integrator (preset %s): %s, batch %d, %d epoch%s"
                        + " on %s, %d seeds.%n", s.preset(), String.join(", ", s.rules()), s.batch(), s.epochs(),
                s.epochs() == 1 ? "" : "s", data, s.seeds()));
        b.append(String.format(Locale.ROOT, "Sweep: %d runs, %d completed, %d diverged, %d failed (%d reused), %.0f s.%n",
                sweep.outcomes().size(), sweep.count("completed"), sweep.count("diverged"), sweep.failed().size(),
                sweep.reused(), sweep.wallSeconds()));
        b.append("Loss: training cross-entropy; acc: test accuracy; mean ± std [min, max] over seeds. 'epochs': after the"
                + " last epoch; 'evals': at the budget B (the fewest gradient evaluations of any rule's whole run).\n");
        for (int m = 0; m < s.models().size(); m++) {
            for (double lr : s.lrs()) {
                List<Analysis.RuleResult> rs = a.at(m, lr);
                b.append(String.format(Locale.ROOT, "%n== %s, lr %s, B = %.0f gradient evaluations ==%n",
                        s.models().get(m), Settings.lrText(lr), rs.isEmpty() ? Double.NaN : rs.get(0).budget()));
                b.append(String.format(Locale.ROOT, "%-9s %4s  %-29s %-24s %-29s %-24s %8s %9s%n", "rule", "ok",
                        "loss (epochs)", "acc % (epochs)", "loss (evals)", "acc % (evals)", "s/epoch", "evals/ep"));
                for (Analysis.RuleResult r : rs) {
                    b.append(String.format(Locale.ROOT, "%-9s %d/%d  %-29s %-24s %-29s %-24s %8.2f %9.0f%n", r.rule(),
                            r.completed(), r.runs(), cell(r.lossAtEpochs(), 1, "%.4f"), cell(r.accAtEpochs(), 100, "%.2f"),
                            cell(r.lossAtEvals(), 1, "%.4f"), cell(r.accAtEvals(), 100, "%.2f"),
                            r.secondsPerEpoch().mean(), r.gradEvalsPerEpoch().mean()));
                }
            }
        }
        if (!a.stability().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nStability ladder (seed 0, %d steps; unstable: NaN/Inf or a minibatch loss"
                    + " above %.3g x the first): largest stable lr below the first unstable one%n", s.ladderSteps(),
                    s.divergeFactor()));
            for (int m : s.ladderModels()) {
                List<String> cells = new ArrayList<>();
                for (Analysis.Stability k : a.stability()) {
                    if (k.model() == m) {
                        cells.add(k.rule() + " " + lr(k.maxStable()) + " (" + lr(k.firstUnstable()) + ")");
                    }
                }
                b.append(String.format(Locale.ROOT, "  %s: %s%n", s.models().get(m), String.join(", ", cells)));
            }
        }
        b.append(String.format(Locale.ROOT, "%nModified flow (tanh net, %d hidden, full batch %d, F64, T = %s): |Euler - flow|%n",
                flow.config().hidden(), flow.config().batch(), flow.config().time()));
        for (int k = 0; k < flow.config().hs().length; k++) {
            b.append(String.format(Locale.ROOT, "  h %-7s flow of L %.3e, flow of L+(h/4)|gL|^2 %.3e, ratio %.2f%n",
                    flow.config().hs()[k], flow.toL()[k], flow.toModified()[k], flow.toL()[k] / flow.toModified()[k]));
        }
        b.append(String.format(Locale.ROOT, "  slopes in log h: %.2f (flow of L; theory 1), %.2f (modified; theory 2)%n",
                flow.slopes()[0], flow.slopes()[1]));
        return b.toString();
    }

    private static String lr(double v) {
        return Double.isNaN(v) ? "-" : Settings.lrText(v);
    }

    private static String cell(Kpis.Spread sp, double k, String f) {
        if (sp.n() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, f + "±" + f + " [" + f + "," + f + "]", k * sp.mean(), k * sp.std(),
                k * sp.min(), k * sp.max());
    }

    private static void spread(ObjectNode o, String key, Kpis.Spread sp) {
        ObjectNode x = o.putObject(key);
        put(x, "mean", sp.mean());
        put(x, "std", sp.std());
        put(x, "min", sp.min());
        put(x, "max", sp.max());
        x.put("n", sp.n());
    }
}
