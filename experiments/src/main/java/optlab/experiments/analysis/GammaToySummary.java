package optlab.experiments.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The toy study as summary.json fields and an eta_max.csv table (what {@code optlab run gamma-toy} writes). */
public final class GammaToySummary {
    private GammaToySummary() {
    }

    /** Ordered fields for summary.json; fits that could not be made (too few points on a side) are null. */
    public static Map<String, Object> toMap(GammaToyStudy.Result r) {
        GammaToyStudy s = r.study();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "gamma-toy");
        m.put("definition", "f(w) = (w_1 w_2 ... w_L - 1) / gamma, w_l(0) = 1, loss = (f - y)^2 / 2, y = 1, full-batch GD");
        m.put("closed_form", "eta_max = 2 gamma^2 / (L (1 + gamma)^(2 - 2/L)) = 2 / lambda_max at the minimum");
        m.put("depth", s.depth());
        m.put("slope_small_gamma", slope(r.small()));
        m.put("slope_large_gamma", slope(r.large()));
        m.put("expected_slope_small_gamma", 2.0);
        m.put("expected_slope_large_gamma", 2.0 / s.depth());
        m.put("fit_small_gamma", fit(r.small()));
        m.put("fit_large_gamma", fit(r.large()));
        double[] g = r.gammas();
        double[] c = r.closedForm();
        m.put("closed_form_slope_small_gamma", slope(closedFit(g, c, 0, 1 / s.fitMargin(), s.confidence())));
        m.put("closed_form_slope_large_gamma", slope(closedFit(g, c, s.fitMargin(), Double.POSITIVE_INFINITY, s.confidence())));
        m.put("max_relative_error_vs_closed_form", r.maxRelativeError());
        m.put("slope_small_gamma_blowup", slope(r.blowUpSmall()));
        m.put("slope_large_gamma_blowup", slope(r.blowUpLarge()));
        m.put("fit_small_gamma_blowup", fit(r.blowUpSmall()));
        m.put("fit_large_gamma_blowup", fit(r.blowUpLarge()));
        m.put("slope_small_gamma_lambda_max", slope(r.lambdaSmall()));
        m.put("slope_large_gamma_lambda_max", slope(r.lambdaLarge()));
        m.put("expected_slope_small_gamma_lambda_max", -2.0);
        m.put("expected_slope_large_gamma_lambda_max", -2.0 / s.depth());
        m.put("fit_small_gamma_lambda_max", fit(r.lambdaSmall()));
        m.put("fit_large_gamma_lambda_max", fit(r.lambdaLarge()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (GammaToyStudy.Point p : r.points()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("gamma", p.gamma());
            row.put("eta_max", p.etaMax());
            row.put("eta_max_closed_form", p.etaMaxClosedForm());
            row.put("eta_blowup", p.etaBlowUp());
            row.put("lambda_max", p.lambdaMax());
            row.put("eta_max_times_lambda_max", p.etaMax() * p.lambdaMax());
            row.put("runs", p.runs());
            rows.add(row);
        }
        m.put("eta_max", rows);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("gamma_min", s.gammaMin());
        settings.put("gamma_max", s.gammaMax());
        settings.put("gamma_per_decade", s.perDecade());
        settings.put("max_steps", s.maxSteps());
        settings.put("tol", s.tol());
        settings.put("bisection_rel_tol", s.relTol());
        settings.put("fit_small_gamma_range", List.of(0.0, 1 / s.fitMargin()));
        settings.put("fit_large_gamma_range", List.of(s.fitMargin(), "inf"));
        settings.put("confidence", s.confidence());
        settings.put("lambda_max", "top Hessian eigenvalue (HessianTop: power iteration on central-difference HVPs) at the"
                + " minimum reached by GD with eta = eta_max / 2");
        settings.put("converged", "|f - y| <= tol for 10 consecutive steps within max_steps");
        settings.put("blowup", "a non-finite value or |w| > 1e100 within max_steps; eta_blowup = last eta before the first blow-up"
                + " on a 40-per-decade grid upward from eta_max");
        m.put("settings", settings);
        m.put("seconds", r.seconds());
        return m;
    }

    /** gamma,eta_max,eta_max_closed_form,eta_blowup,relative_error,lambda_max rows. */
    public static String csv(GammaToyStudy.Result r) {
        StringBuilder b = new StringBuilder("gamma,eta_max,eta_max_closed_form,eta_blowup,relative_error,lambda_max\n");
        for (GammaToyStudy.Point p : r.points()) {
            b.append(String.format(Locale.ROOT, "%.17g,%.17g,%.17g,%.17g,%.6e,%.17g%n", p.gamma(), p.etaMax(), p.etaMaxClosedForm(),
                    p.etaBlowUp(), p.relativeError(), p.lambdaMax()));
        }
        return b.toString();
    }

    private static PowerLawFit closedFit(double[] g, double[] c, double lo, double hi, double confidence) {
        int n = 0;
        for (double v : g) {
            if (v >= lo && v <= hi) {
                n++;
            }
        }
        return n >= 3 ? PowerLawFit.fitInRange(g, c, lo, hi, confidence) : null;
    }

    private static Object slope(PowerLawFit f) {
        return f == null ? null : f.slope();
    }

    private static Object fit(PowerLawFit f) {
        return f == null ? null : f.toMap();
    }
}
