package optlab.experiments.gammaeta;

import static optlab.experiments.run.JsonNumbers.put;

import optlab.experiments.run.RunFolder;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import optlab.experiments.analysis.PowerLawFit;
import optlab.experiments.online.OnlineResult;
import optlab.experiments.run.AtomicFiles;
import optlab.experiments.sweep.SweepFolders;

/**
 * What a finished (γ0, η0) sweep found, read back from its folders: η_max per γ0, the power laws fitted to it on
 * each side of γ0 = 1, and every run's outcome. {@link #summaryJson} is DIR/summary.json.
 */
record Report(Settings spec, Path dir, List<Chain> chains, PowerLawFit small, PowerLawFit large,
        String smallNote, String largeNote, PowerLawFit hessianSmall, PowerLawFit hessianLarge, int width, int depth) {

    /** One scanned run of a chain. */
    record Cell(int kg, int ke, OnlineResult result) {
        double gamma0(Settings s) {
            return s.gammaGrid().value(kg);
        }

        double eta0(Settings s) {
            return s.etaGrid().value(ke);
        }
    }

    /** The scan of one γ0: its runs top first, and η_max's grid index (null: none finite, or not run). */
    record Chain(int kg, List<Cell> cells, Integer etaMax) {
        Optional<Cell> at(int ke) {
            return cells.stream().filter(c -> c.ke() == ke).findFirst();
        }
    }

    /** Reads the sweep in {@code dir}; chains not yet finished are left out. */
    static Report read(Settings spec, Path dir) throws IOException {
        List<Chain> chains = new ArrayList<>();
        for (int kg = spec.gammaFrom(); kg <= spec.gammaTo(); kg++) {
            if (!SweepFolders.done(ChainJob.chainFolder(spec, dir, kg))) {
                continue;
            }
            List<Cell> cells = new ArrayList<>();
            Integer etaMax = null;
            for (int ke = spec.etaTop(); ke >= spec.etaFloor(); ke--) {
                Optional<OnlineResult> r = OnlineResult.read(ChainJob.runFolder(spec, dir, kg, ke));
                if (r.isPresent()) {
                    cells.add(new Cell(kg, ke, r.get()));
                    if (etaMax == null && !r.get().diverged()) {
                        etaMax = ke;
                    }
                }
            }
            chains.add(new Chain(kg, List.copyOf(cells), etaMax));
        }
        List<double[]> smallPts = new ArrayList<>(), largePts = new ArrayList<>();
        for (Chain c : chains) {
            if (c.etaMax() == null || c.etaMax() == spec.etaTop()) {
                continue; // at the top η_max is only a lower bound: left out of the fits
            }
            double g = spec.gammaGrid().value(c.kg()), e = spec.etaGrid().value(c.etaMax());
            if (g < spec.smallBelow()) {
                smallPts.add(new double[] {g, e});
            }
            if (g > spec.largeAbove()) {
                largePts.add(new double[] {g, e});
            }
        }
        String[] notes = new String[2];
        PowerLawFit small = fit(smallPts, spec.confidence(), notes, 0);
        PowerLawFit large = fit(largePts, spec.confidence(), notes, 1);
        // λ_max against γ0 on each side of 1, from the runs one decade below η_max (positive values only: log-log).
        List<double[]> hs = new ArrayList<>(), hl = new ArrayList<>();
        for (Chain c : chains) {
            hessianCell(spec, c).filter(cell -> cell.result().hessianTop() > 0).ifPresent(cell -> {
                double g = cell.gamma0(spec);
                if (g < spec.smallBelow()) {
                    hs.add(new double[] {g, cell.result().hessianTop()});
                } else if (g > spec.largeAbove()) {
                    hl.add(new double[] {g, cell.result().hessianTop()});
                }
            });
        }
        String[] hn = new String[2];
        String model = spec.run().path("model").asText();
        return new Report(spec, dir, List.copyOf(chains), small, large, notes[0], notes[1],
                fit(hs, spec.confidence(), hn, 0), fit(hl, spec.confidence(), hn, 1),
                optlab.models.param.Parameterization.width(model), depth(model));
    }

    private static PowerLawFit fit(List<double[]> pts, double confidence, String[] notes, int i) {
        if (pts.size() < 3) {
            notes[i] = "only " + pts.size() + " gamma0 with a finite eta_max on this side; a fit needs 3";
            return null;
        }
        double[] x = pts.stream().mapToDouble(p -> p[0]).toArray(), y = pts.stream().mapToDouble(p -> p[1]).toArray();
        return PowerLawFit.fit(x, y, confidence);
    }

    /** The L of the γ^(2/L) law (see {@link optlab.experiments.online.ScalingDepth}); 0 for resnet and vit. */
    static int depth(String model) {
        return optlab.experiments.online.ScalingDepth.of(model);
    }

    /** The cells of every chain. */
    List<Cell> cells() {
        return chains.stream().flatMap(c -> c.cells().stream()).toList();
    }

    String summaryJson(double wallSeconds) throws IOException {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode etaMax = o.putArray("eta_max");
        for (Chain c : chains) {
            if (c.etaMax() != null) {
                ObjectNode e = etaMax.addObject().put("gamma0", spec.gammaGrid().value(c.kg()))
                        .put("eta0_max", spec.etaGrid().value(c.etaMax()));
                if (c.etaMax() == spec.etaTop()) {
                    e.put("at_top", true); // nothing above diverged: a lower bound, not fitted; raise eta0.top
                }
            }
        }
        putSlope(o, "slope_small_gamma", small);
        putSlope(o, "slope_large_gamma", large);
        o.put("depth", depth);
        o.put("width", width);
        ObjectNode expected = o.putObject("expected_slopes");
        expected.put("small_gamma", 2.0);
        if (depth > 0) {
            expected.put("large_gamma", 2.0 / depth);
        }
        ObjectNode fits = o.putObject("fits");
        fitJson(fits, "small_gamma", small, "gamma0 < " + spec.smallBelow(), smallNote);
        fitJson(fits, "large_gamma", large, "gamma0 > " + spec.largeAbove(), largeNote);
        putSlope(o, "hessian_slope_small_gamma", hessianSmall);
        putSlope(o, "hessian_slope_large_gamma", hessianLarge);
        fitJson(fits, "hessian_small_gamma", hessianSmall, "gamma0 < " + spec.smallBelow(), "fewer than 3 lambda_max");
        fitJson(fits, "hessian_large_gamma", hessianLarge, "gamma0 > " + spec.largeAbove(), "fewer than 3 lambda_max");
        expected.put("hessian_small_gamma", -2.0);
        if (depth > 0) {
            expected.put("hessian_large_gamma", -2.0 / depth);
        }
        ArrayNode hess = o.putArray("hessian_top");
        for (Chain c : chains) {
            hessianCell(c).ifPresent(cell -> hess.addObject().put("gamma0", cell.gamma0(spec)).put("eta0", cell.eta0(spec))
                    .put("lambda_max", cell.result().hessianTop())
                    .put("two_over_lr_max", 2 / (lrScale() * spec.etaGrid().value(c.etaMax()))));
        }
        ArrayNode runs = o.putArray("runs");
        for (Cell cell : cells()) {
            OnlineResult r = cell.result();
            ObjectNode row = runs.addObject().put("gamma0", cell.gamma0(spec)).put("eta0", cell.eta0(spec))
                    .put("status", r.status().key()).put("steps_done", r.stepsDone()).put("dtype", r.dtype());
            put(row, "final_test_loss", r.finalTestLoss());
            put(row, "best_test_loss", r.bestTestLoss());
            put(row, "final_test_acc", r.finalTestAcc());
            put(row, "hessian_top", r.hessianTop());
            put(row, "seconds", r.wallSeconds());
            row.put("folder", dir.relativize(ChainJob.runFolder(spec, dir, cell.kg(), cell.ke())).toString());
        }
        o.put("runs_total", runs.size());
        o.put("wall_seconds", wallSeconds); // this invocation's (a resumed sweep's is short)
        o.put("run_seconds_total", cells().stream().mapToDouble(c -> c.result().wallSeconds()).filter(Double::isFinite).sum());
        o.set("sweep", spec.toJson());
        return SweepJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n";
    }

    void writeSummary(double wallSeconds) throws IOException {
        AtomicFiles.write(dir.resolve(RunFolder.SUMMARY), summaryJson(wallSeconds));
    }

    /** The run whose top Hessian eigenvalue represents γ0: one decade below η_max (clear of the edge of stability). */
    Optional<Cell> hessianCell(Chain c) {
        return hessianCell(spec, c);
    }

    private static Optional<Cell> hessianCell(Settings spec, Chain c) {
        if (c.etaMax() == null) {
            return Optional.empty();
        }
        return c.at(c.etaMax() - spec.etaGrid().perDecade()).filter(cell -> !cell.result().diverged()
                && Double.isFinite(cell.result().hessianTop()));
    }

    /** lr / eta0 of this sweep's runs (N for μP, 1 otherwise). */
    double lrScale() {
        for (Cell cell : cells()) {
            if (Double.isFinite(cell.result().lr())) {
                return cell.result().lr() / cell.eta0(spec);
            }
        }
        return 1;
    }

    private static void putSlope(ObjectNode o, String field, PowerLawFit f) {
        if (f == null) {
            o.putNull(field);
        } else {
            o.put(field, f.slope());
        }
    }

    private static void fitJson(ObjectNode fits, String side, PowerLawFit f, String range, String note) {
        ObjectNode s = fits.putObject(side);
        s.put("range", range);
        if (f == null) {
            s.putNull("slope");
            s.put("note", note);
            return;
        }
        s.put("slope", f.slope());
        s.put("ci_low", f.slopeLow());
        s.put("ci_high", f.slopeHigh());
        s.put("confidence", f.confidence());
        s.put("intercept_log10", f.intercept());
        s.put("n", f.n());
        s.put("r_squared", f.rSquared());
    }
}
