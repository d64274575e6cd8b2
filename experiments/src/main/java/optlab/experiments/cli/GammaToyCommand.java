package optlab.experiments.cli;

import optlab.experiments.run.RunFolder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import optlab.experiments.analysis.GammaToy;
import optlab.experiments.analysis.GammaToyStudy;
import optlab.experiments.analysis.GammaToySummary;
import optlab.experiments.analysis.PowerLawFit;
import optlab.experiments.plot.FitLine;
import optlab.experiments.plot.PlotException;
import optlab.experiments.plot.ScalingFigure;
import optlab.experiments.plot.ScalingSeries;
import optlab.experiments.run.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code optlab run gamma-toy --depth L --out DIR}: η_max(γ) of the γ paper's scalar toy model (see
 * {@link GammaToy}) measured by GD, against its closed form, with fitted slopes on each side of γ = 1.
 */
@Command(name = "gamma-toy", mixinStandardHelpOptions = true,
        description = {"η_max(γ) of the toy model f = (w_1⋯w_L − 1)/γ, loss ½(f − 1)², GD from w = 1: measured (largest η that",
            "converges, and largest before blow-up) over a log grid of γ, against the closed form 2γ²/(L(1+γ)^(2−2/L)).",
            "Writes DIR/summary.json (slope_small_gamma, slope_large_gamma, depth, eta_max list), DIR/eta_max.csv and",
            "DIR/eta_max.png/.svg, and the top Hessian eigenvalue at the minimum vs γ in DIR/lambda_max.png/.svg."})
public final class GammaToyCommand implements Callable<Integer> {

    @Option(names = "--depth", required = true, paramLabel = "L", description = "Number of scalar factors (>= 1).")
    int depth;

    /** --preset quick|paper are the same grid here (it takes seconds); --data, --workers and --seed do not apply. */
    @Mixin
    RecipeOptions common = new RecipeOptions();

    @Option(names = "--gamma-min", defaultValue = "1e-5", paramLabel = "G", description = "Smallest γ (default 1e-5).")
    double gammaMin;

    @Option(names = "--gamma-max", defaultValue = "1e5", paramLabel = "G", description = "Largest γ (default 1e5).")
    double gammaMax;

    @Option(names = "--per-decade", defaultValue = "4", paramLabel = "N", description = "γ grid points per decade (default 4).")
    int perDecade;

    @Option(names = "--steps", defaultValue = "100000", paramLabel = "N",
            description = "GD step budget per run (default 100000); etaMax sits about 20/N below the true edge.")
    int steps;

    @Option(names = "--fit-margin", defaultValue = "10", paramLabel = "M",
            description = "Fit slopes on γ <= 1/M and γ >= M (default 10: one decade either side of γ = 1 left out).")
    double fitMargin;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        GammaToyStudy study;
        Path out;
        try {
            common.preset(List.of("quick", "paper"));
            common.reject("optlab run gamma-toy", "--data", "--workers", "--seed", "--backend");
            out = common.out("gamma-toy-L" + depth);
            study = new GammaToyStudy(depth, gammaMin, gammaMax, perDecade, steps, 1e-9, 1e-5, fitMargin, 0.95);
        } catch (IllegalArgumentException e) {
            System.err.println("optlab run gamma-toy: " + e.getMessage());
            return 2;
        }
        GammaToyStudy.Result r = study.run();
        try {
            Files.createDirectories(out);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(out.resolve(RunFolder.SUMMARY), json.writeValueAsString(GammaToySummary.toMap(r)) + "\n");
            AtomicFiles.write(out.resolve("eta_max.csv"), GammaToySummary.csv(r));
            List<Path> figs = new ArrayList<>(ScalingFigure.write(out.resolve("eta_max"),
                    "Toy model, depth L = " + depth + ": η_max(γ), measured vs closed form", "γ", "η", series(r), fits(r)));
            figs.addAll(ScalingFigure.write(out.resolve("lambda_max"),
                    "Toy model, depth L = " + depth + ": top Hessian eigenvalue at the minimum", "γ", "λ_max",
                    lambdaSeries(r), lambdaFits(r)));
            System.out.printf(Locale.ROOT, "depth %d, %d γ values in %.1f s; max |measured/closed − 1| = %.2e%n", depth,
                    r.points().size(), r.seconds(), r.maxRelativeError());
            print("γ ≤ 1/" + fmt(fitMargin), r.small(), 2.0);
            print("γ ≥ " + fmt(fitMargin), r.large(), 2.0 / depth);
            print("λ_max, γ ≤ 1/" + fmt(fitMargin), r.lambdaSmall(), -2.0);
            print("λ_max, γ ≥ " + fmt(fitMargin), r.lambdaLarge(), -2.0 / depth);
            System.out.println("wrote " + out.resolve(RunFolder.SUMMARY));
            System.out.println("wrote " + out.resolve("eta_max.csv"));
            figs.forEach(f -> System.out.println("wrote " + f));
            return 0;
        } catch (IOException e) {
            System.err.println("optlab run gamma-toy: cannot write " + out + ": " + e.getMessage());
            return 1;
        } catch (PlotException | UncheckedIOException e) {
            System.err.println("optlab run gamma-toy: " + e.getMessage());
            return 1;
        }
    }

    private static List<ScalingSeries> series(GammaToyStudy.Result r) {
        List<ScalingSeries> s = new ArrayList<>();
        s.add(ScalingSeries.points("η_max measured (largest η that converges)", r.gammas(), r.etaMax()));
        // The closed form on a finer grid than the measurements, so the curve is smooth through the crossover.
        GammaToyStudy st = r.study();
        int n = (int) Math.round(Math.log10(st.gammaMax() / st.gammaMin()) * 20) + 1;
        double[] g = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = st.gammaMin() * Math.pow(st.gammaMax() / st.gammaMin(), n == 1 ? 0 : (double) i / (n - 1));
            c[i] = GammaToy.of(st.depth(), g[i]).closedFormEtaMax();
        }
        s.add(ScalingSeries.curve("closed form 2γ²/(L(1+γ)^(2−2/L))", g, c));
        s.add(ScalingSeries.points("largest η before blow-up", r.gammas(), r.etaBlowUp()));
        return s;
    }

    private static List<ScalingSeries> lambdaSeries(GammaToyStudy.Result r) {
        double[] closed = r.points().stream().mapToDouble(p -> 2 / p.etaMaxClosedForm()).toArray();
        return List.of(ScalingSeries.points("λ_max by power iteration (FD Hessian–vector products)", r.gammas(), r.lambdaMax()),
                ScalingSeries.curve("closed form L(1+γ)^(2−2/L)/γ²", r.gammas(), closed));
    }

    private static List<FitLine> lambdaFits(GammaToyStudy.Result r) {
        List<FitLine> f = new ArrayList<>();
        if (r.lambdaSmall() != null) {
            f.add(new FitLine("fit γ ≪ 1 (expect −2)", r.lambdaSmall()));
        }
        if (r.lambdaLarge() != null) {
            f.add(new FitLine("fit γ ≫ 1 (expect −2/L = −" + fmt(2.0 / r.study().depth()) + ")", r.lambdaLarge()));
        }
        return f;
    }

    private static List<FitLine> fits(GammaToyStudy.Result r) {
        List<FitLine> f = new ArrayList<>();
        if (r.small() != null) {
            f.add(new FitLine("fit γ ≪ 1 (expect 2)", r.small()));
        }
        if (r.large() != null) {
            f.add(new FitLine("fit γ ≫ 1 (expect 2/L = " + fmt(2.0 / r.study().depth()) + ")", r.large()));
        }
        return f;
    }

    private static void print(String side, PowerLawFit f, double expected) {
        if (f == null) {
            System.out.println(side + ": fewer than 3 points, no fit");
        } else {
            System.out.printf(Locale.ROOT, "%s: %s, expected %.4f%n", side, f.describe(), expected);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
