package optlab.experiments.distancenets;

import static optlab.experiments.run.JsonNumbers.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import optlab.experiments.pathsgd.StepSelection;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.run.RunFolder;
import optlab.experiments.sweep.SweepReport;

/**
 * {@code summary.txt} and {@code summary.json}: per architecture a table of the final test error, depth × method,
 * each method at its chosen step; every grid point's validation error; and the gradient that reaches the first layer
 * at initialization relative to the last layer's, per architecture and depth. Errors are fractions in JSON,
 * percentages in the text.
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

    static ObjectNode json(Settings s, List<Recipe.Choice> choices, SweepReport sweep) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("recipe", "distance-nets");
        o.put("preset", s.preset());
        o.set("settings", s.toJson());
        o.put("selection_rule", StepSelection.RULE);
        o.set("sweep", sweep.toJson());
        ArrayNode results = o.putArray("results");
        for (Recipe.Choice c : choices) {
            ObjectNode r = results.addObject();
            r.put("arch", c.arch().key());
            r.put("depth", c.depth());
            r.put("method", c.method().key());
            ArrayNode grid = r.putArray("grid");
            for (StepSelection.Candidate k : c.candidates()) {
                ObjectNode g = grid.addObject();
                g.put("lr", k.lr());
                g.put("status", k.status());
                put(g, "validation_error", k.validationError());
            }
            if (c.chosen().isEmpty()) {
                r.putNull("chosen_lr");
                continue;
            }
            r.put("chosen_lr", c.chosen().get().lr());
            put(r, "final_train_loss", Recipe.last(c.curves().trainLoss()));
            put(r, "final_validation_error", c.finalValidationError());
            put(r, "final_test_error", c.finalTestError());
            ArrayNode te = r.putArray("test_error");
            for (double v : c.curves().testError()) {
                te.add(v);
            }
            ArrayNode tl = r.putArray("train_loss");
            for (double v : c.curves().trainLoss()) {
                tl.add(v);
            }
            GradientFlow g = GradientFlow.read(c.folder());
            if (g != null) {
                ObjectNode gn = r.putObject("grad_norms");
                g.layers().forEach(gn.putArray("layers")::add);
                ArrayNode a0 = gn.putArray("at_init");
                for (double v : g.atInit()) {
                    a0.add(v);
                }
                if (g.afterEpoch() != null) {
                    ArrayNode a1 = gn.putArray("after_epoch_1");
                    for (double v : g.afterEpoch()) {
                        a1.add(v);
                    }
                }
            }
        }
        return o;
    }

    static String text(Settings s, List<Recipe.Choice> choices, SweepReport sweep) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Distance networks (Kurbiel & Khaleghian, arXiv 1708.01911), preset %s: hidden "
                        + "width %d on %s (%s training samples, %d held out for validation), minibatch %d, %d epoch%s.%n",
                s.preset(), s.width(), Figures.dataName(s), s.trainSamples() > 0 ? "the first " + s.trainSamples() : "all",
                s.validation(), s.batch(), s.epochs(), s.epochs() == 1 ? "" : "s"));
        b.append("Steps chosen per architecture, depth and method: ").append(StepSelection.RULE).append(".\n");
        b.append(String.format(Locale.ROOT, "Sweep: %d runs, %d completed, %d diverged, %d failed (%d reused), %.0f s.%n",
                sweep.outcomes().size(), sweep.count("completed"), sweep.count("diverged"), sweep.failed().size(),
                sweep.reused(), sweep.wallSeconds()));
        b.append(table(s, choices));
        b.append("\nGradient reaching the first layer at init, ||g_1|| / ||g_last|| (runs of ")
                .append(gradientMethod(s).label()).append("):\n");
        b.append(String.format(Locale.ROOT, "%-28s", "depth"));
        s.depths().forEach(d -> b.append(String.format(Locale.ROOT, "%11d", d)));
        b.append('\n');
        for (Arch a : s.archs()) {
            b.append(String.format(Locale.ROOT, "%-28s", a.label()));
            for (int d : s.depths()) {
                GradientFlow g = choices.stream().filter(c -> c.arch() == a && c.depth() == d
                        && c.method() == gradientMethod(s) && c.folder() != null).findFirst()
                        .map(c -> GradientFlow.read(c.folder())).orElse(null);
                b.append(g == null ? String.format(Locale.ROOT, "%11s", "-")
                        : String.format(Locale.ROOT, "%11.3g", g.firstOverLast()));
            }
            b.append('\n');
        }
        b.append("\nGrid (validation error after the last epoch; * chosen):\n");
        for (Recipe.Choice c : choices) {
            List<String> cells = new ArrayList<>();
            for (StepSelection.Candidate k : c.candidates()) {
                boolean chosen = c.chosen().map(x -> x.alpha() == k.alpha()).orElse(false);
                cells.add(Recipe.lrKey(k.lr()) + " " + (Double.isFinite(k.validationError())
                        ? String.format(Locale.ROOT, "%.2f%%", 100 * k.validationError()) : k.status()) + (chosen ? "*" : ""));
            }
            b.append(String.format(Locale.ROOT, "  %-13s d%-2d %-16s %s%n", c.arch().key(), c.depth(), c.method().key(),
                    String.join(", ", cells)));
        }
        return b.toString();
    }

    /**
     * Per architecture: final test error (%) after the last epoch, a row per depth, a column per method, each at its
     * chosen step (in parentheses); "-" where every step diverged or failed.
     */
    static String table(Settings s, List<Recipe.Choice> choices) {
        StringBuilder b = new StringBuilder();
        for (Arch a : s.archs()) {
            b.append(String.format(Locale.ROOT, "%nFinal test error (%%), %s (chosen step):%n", a.label()));
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s", "depth"));
            s.methods().forEach(m -> head.append(String.format(Locale.ROOT, " %-20s", m.key())));
            b.append(head.toString().stripTrailing()).append('\n');
            for (int d : s.depths()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6d", d));
                for (Method m : s.methods()) {
                    Recipe.Choice c = choices.stream().filter(x -> x.arch() == a && x.depth() == d && x.method() == m)
                            .findFirst().orElse(null);
                    String cell = c == null || c.chosen().isEmpty() ? "-"
                            : String.format(Locale.ROOT, "%.2f (%s)", 100 * c.finalTestError(), Recipe.lrKey(c.chosen().get().lr()));
                    line.append(String.format(Locale.ROOT, " %-20s", cell));
                }
                b.append(line.toString().stripTrailing()).append('\n');
            }
        }
        return b.toString();
    }

    static Method gradientMethod(Settings s) {
        return s.methods().contains(Method.RMSPROP_KURBIEL) ? Method.RMSPROP_KURBIEL : s.methods().getFirst();
    }
}
