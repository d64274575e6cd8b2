package optlab.experiments.pathsgd;

import static optlab.experiments.run.JsonNumbers.put;
import static optlab.experiments.run.JsonNumbers.array;

import optlab.experiments.run.RunFolder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.sweep.SweepReport;

/**
 * {@code summary.txt} and {@code summary.json}: per init, each method's chosen step, its final training loss,
 * training / validation / test error and best test error, every grid point's validation error; and "who reached
 * what by which epoch": the first epoch at which each method's training loss reached the highest of the methods'
 * final losses (a level all of them reach), and likewise for the test error and the highest of their best test
 * errors. Errors are fractions in JSON, percentages in the text.
 */
final class Report {
    private Report() {
    }

    static List<Path> write(Settings s, List<Recipe.Choice> choices, SweepReport sweep, Path out) throws IOException {
        Path json = out.resolve(RunFolder.SUMMARY), txt = out.resolve("summary.txt");
        AtomicFiles.write(json, json(s, choices, sweep).toPrettyString() + "\n");
        AtomicFiles.write(txt, text(s, choices, sweep));
        return List.of(txt, json);
    }

    /** Comparison targets of one init: the level every chosen run reached, and when each reached it. */
    record Race(InitKind init, double lossTarget, double errorTarget, List<Recipe.Choice> runs) {
        static Race of(InitKind init, List<Recipe.Choice> choices) {
            List<Recipe.Choice> runs = choices.stream().filter(c -> c.init() == init && c.chosen().isPresent()).toList();
            double loss = Double.NaN, error = Double.NaN;
            for (Recipe.Choice c : runs) {
                double l = Curves.last(c.curves().trainLoss());
                int b = Curves.argmin(c.curves().testError());
                double e = b < 0 ? Double.NaN : c.curves().testError()[b];
                loss = Double.isNaN(loss) || l > loss ? l : loss;
                error = Double.isNaN(error) || e > error ? e : error;
            }
            return new Race(init, loss, error, runs);
        }

        double lossEpoch(Recipe.Choice c) {
            return c.curves().firstEpochAtOrBelow(c.curves().trainLoss(), lossTarget);
        }

        double errorEpoch(Recipe.Choice c) {
            return c.curves().firstEpochAtOrBelow(c.curves().testError(), errorTarget);
        }
    }

    static ObjectNode json(Settings s, List<Recipe.Choice> choices, SweepReport sweep) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recipe", "path-sgd");
        o.put("preset", s.preset());
        o.set("settings", s.toJson());
        o.put("selection_rule", StepSelection.RULE);
        o.set("sweep", sweep.toJson());
        ArrayNode results = o.putArray("results");
        for (Recipe.Choice c : choices) {
            ObjectNode r = results.addObject();
            r.put("init", c.init().key());
            r.put("method", c.method().key());
            ArrayNode grid = r.putArray("grid");
            for (StepSelection.Candidate k : c.candidates()) {
                ObjectNode g = grid.addObject();
                g.put("alpha", k.alpha());
                g.put("lr", k.lr());
                g.put("status", k.status());
                put(g, "validation_error", k.validationError());
            }
            if (c.chosen().isEmpty()) {
                r.putNull("chosen");
                continue;
            }
            StepSelection.Candidate k = c.chosen().get();
            ObjectNode ch = r.putObject("chosen");
            ch.put("alpha", k.alpha());
            ch.put("lr", k.lr());
            ch.put("at_grid_edge", atEdge(c));
            Curves v = c.curves();
            ObjectNode f = r.putObject("final");
            put(f, "epoch", Curves.last(v.epoch()));
            put(f, "train_loss", Curves.last(v.trainLoss()));
            put(f, "train_error", Curves.last(v.trainError()));
            put(f, "validation_error", Curves.last(v.validationError()));
            put(f, "test_error", Curves.last(v.testError()));
            put(f, "path_norm", Curves.last(v.pathNorm()));
            int b = Curves.argmin(v.testError());
            ObjectNode best = r.putObject("best_test_error");
            put(best, "value", b < 0 ? Double.NaN : v.testError()[b]);
            put(best, "epoch", b < 0 ? Double.NaN : v.epoch()[b]);
            ObjectNode curves = r.putObject("curves");
            array(curves, "epoch", v.epoch());
            array(curves, "train_loss", v.trainLoss());
            array(curves, "train_error", v.trainError());
            array(curves, "validation_error", v.validationError());
            array(curves, "test_error", v.testError());
            array(curves, "path_norm", v.pathNorm());
        }
        ArrayNode races = o.putArray("reached");
        for (InitKind init : s.inits()) {
            Race race = Race.of(init, choices);
            ObjectNode r = races.addObject();
            r.put("init", init.key());
            put(r, "train_loss_target", race.lossTarget());
            put(r, "test_error_target", race.errorTarget());
            ObjectNode le = r.putObject("epoch_train_loss_reached"), ee = r.putObject("epoch_test_error_reached");
            for (Recipe.Choice c : race.runs()) {
                put(le, c.method().key(), race.lossEpoch(c));
                put(ee, c.method().key(), race.errorEpoch(c));
            }
        }
        return o;
    }

    static String text(Settings s, List<Recipe.Choice> choices, SweepReport sweep) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Path-SGD reproduction (preset %s): ReLU MLP with two hidden layers of %d on %s%s, "
                        + "minibatch %d, %d epoch%s, no momentum; %d validation samples held out of the training set.%n",
                s.preset(), s.hidden(), Figure.dataName(s), s.dropout() > 0 ? " with dropout " + s.dropout() : "",
                s.batch(), s.epochs(), s.epochs() == 1 ? "" : "s", s.validation()));
        b.append(String.format(Locale.ROOT, "Unbalanced init: %s units per hidden layer rescaled by log-normal factors "
                        + "(sigma %.3g). Step sizes 10^-alpha chosen per method and init: %s.%n",
                s.unbalancing().units() == 0 ? "half the" : Integer.toString(s.unbalancing().units()), s.unbalancing().sigma(),
                StepSelection.RULE));
        b.append(String.format(Locale.ROOT, "Sweep: %d runs, %d completed, %d diverged, %d failed (%d reused from an "
                        + "earlier invocation), %.0f s.%n", sweep.outcomes().size(), sweep.count("completed"),
                sweep.count("diverged"), sweep.failed().size(), sweep.reused(), sweep.wallSeconds()));
        for (InitKind init : s.inits()) {
            b.append(String.format(Locale.ROOT, "%n== %s init ==%n", init.key()));
            b.append(String.format(Locale.ROOT, "%-9s %-7s %10s %10s %9s %9s %9s %16s%n", "method", "lr", "train loss",
                    "train err", "val err", "test err", "best test", "(epoch)"));
            for (Recipe.Choice c : choices) {
                if (c.init() != init) {
                    continue;
                }
                if (c.chosen().isEmpty()) {
                    b.append(String.format(Locale.ROOT, "%-9s no completed run in the grid%n", c.method().label()));
                    continue;
                }
                Curves v = c.curves();
                int best = Curves.argmin(v.testError());
                b.append(String.format(Locale.ROOT, "%-9s %-7s %10.4g %8.2f %% %7.2f %% %7.2f %% %7.2f %% %16s%s%n",
                        c.method().label(), "1e-" + c.chosen().get().alpha(), Curves.last(v.trainLoss()),
                        100 * Curves.last(v.trainError()), 100 * Curves.last(v.validationError()),
                        100 * Curves.last(v.testError()), best < 0 ? Double.NaN : 100 * v.testError()[best],
                        best < 0 ? "" : "(epoch " + epoch(v.epoch()[best]) + ")", atEdge(c) ? "  [at the grid's edge]" : ""));
            }
            Race race = Race.of(init, choices);
            if (race.runs().size() > 1) {
                b.append(String.format(Locale.ROOT, "Training loss %.4g (the highest final loss of the methods) reached at epoch: %s%n",
                        race.lossTarget(), reached(race, true)));
                b.append(String.format(Locale.ROOT, "Test error %.2f %% (the highest best test error of the methods) reached at epoch: %s%n",
                        100 * race.errorTarget(), reached(race, false)));
            }
            b.append("Grid (validation error after the last epoch):\n");
            for (Recipe.Choice c : choices) {
                if (c.init() != init) {
                    continue;
                }
                List<String> cells = new ArrayList<>();
                for (StepSelection.Candidate k : c.candidates()) {
                    boolean chosen = c.chosen().map(x -> x.alpha() == k.alpha()).orElse(false);
                    cells.add("1e-" + k.alpha() + " " + (Double.isFinite(k.validationError())
                            ? String.format(Locale.ROOT, "%.2f%%", 100 * k.validationError()) : k.status()) + (chosen ? "*" : ""));
                }
                b.append(String.format(Locale.ROOT, "  %-9s %s%n", c.method().label(), String.join(", ", cells)));
            }
        }
        return b.toString();
    }

    private static String reached(Race race, boolean loss) {
        List<String> parts = new ArrayList<>();
        for (Recipe.Choice c : race.runs()) {
            double e = loss ? race.lossEpoch(c) : race.errorEpoch(c);
            parts.add(c.method().label() + " " + (Double.isNaN(e) ? "never" : epoch(e)));
        }
        return String.join(", ", parts);
    }

    /** True when the chosen α is the smallest or largest of its grid (the best step may lie beyond it). */
    static boolean atEdge(Recipe.Choice c) {
        if (c.chosen().isEmpty() || c.candidates().size() < 2) {
            return false;
        }
        int a = c.chosen().get().alpha();
        int min = c.candidates().stream().mapToInt(StepSelection.Candidate::alpha).min().orElseThrow();
        int max = c.candidates().stream().mapToInt(StepSelection.Candidate::alpha).max().orElseThrow();
        return a == min || a == max;
    }

    private static String epoch(double e) {
        return Math.abs(e - Math.rint(e)) < 1e-6 ? Long.toString(Math.round(e)) : String.format(Locale.ROOT, "%.2f", e);
    }
}
