package optlab.optim;

import optlab.optim.integrate.AdamsBashforth;
import optlab.optim.integrate.ButcherTableau;
import optlab.optim.integrate.Rk23;
import optlab.optim.integrate.RungeKutta;
import optlab.optim.integrate.SgdTerms;

/**
 * Spec parsing of the gradient-flow integrators (optlab.optim.integrate), which cannot see {@link SpecArgs}.
 * <pre>
 *   euler | heun | midpoint | ralston | rk4 : lr, momentum, dampening, weight_decay, nesterov   (SGD's keys)
 *   rk   : the same plus a=[[a21],[a31,a32],...] (rows 2..s of the strictly lower triangle) and b=[b1,...,bs];
 *          a first row [] or [0] may be written too: rk:a=[[0],[0.5]],b=[0,1] is the midpoint rule
 *   ab2 | ab3 : SGD's keys
 *   rk23 : lr (first and largest step), rtol (1e-3), atol (1e-6) or tol=x for both, weight_decay
 * </pre>
 * lr defaults to SGD's 1e-3 everywhere.
 */
final class IntegratorSpecs {
    private IntegratorSpecs() {
    }

    static Optimizer parse(String name, SpecArgs a) {
        double lr = a.real("lr", 1e-3);
        Optimizer o = switch (name) {
            case "rk" -> new RungeKutta("rk", tableau(a), lr, terms(a));
            case "ab2", "ab3" -> new AdamsBashforth(name.charAt(2) - '0', lr, terms(a));
            case "rk23" -> rk23(a, lr);
            default -> new RungeKutta(name, RungeKutta.NAMED.get(name), lr, terms(a));
        };
        a.finish();
        return o;
    }

    private static SgdTerms terms(SpecArgs a) {
        double momentum = a.real("momentum", 0);
        double dampening = a.real("dampening", 0);
        double weightDecay = a.real("weight_decay", 0);
        boolean nesterov = a.bool("nesterov", false);
        return new SgdTerms(momentum, dampening, weightDecay, nesterov);
    }

    private static ButcherTableau tableau(SpecArgs a) {
        double[][] rows = a.rows("a");
        double[] b = a.list("b");
        if (rows == null || b == null) {
            throw new IllegalArgumentException("rk: needs its tableau as a=[[a21],[a31,a32],...] and b=[b1,...,bs],"
                    + " e.g. rk:a=[[0.5]],b=[0,1] (the midpoint rule)");
        }
        int s = b.length;
        boolean leadingRow = rows.length == s && rows.length > 0
                && (rows[0].length == 0 || rows[0].length == 1 && rows[0][0] == 0);
        if (rows.length != s - 1 && !leadingRow) {
            throw new IllegalArgumentException("rk: " + s + " weights need " + (s - 1) + " rows of a (stages 2.."
                    + s + "), got " + rows.length);
        }
        double[][] full = new double[s][];
        full[0] = new double[0];
        System.arraycopy(rows, leadingRow ? 1 : 0, full, 1, s - 1);
        return ButcherTableau.of(full, b);
    }

    private static Rk23 rk23(SpecArgs a, double lr) {
        double tol = a.real("tol", Double.NaN);
        double rtol = a.real("rtol", Double.NaN), atol = a.real("atol", Double.NaN);
        if (!Double.isNaN(tol) && !(Double.isNaN(rtol) && Double.isNaN(atol))) {
            throw new IllegalArgumentException("rk23: tol sets both rtol and atol; give tol or rtol/atol, not both");
        }
        if (!Double.isNaN(tol)) {
            rtol = atol = tol;
        }
        return new Rk23(lr, Double.isNaN(rtol) ? 1e-3 : rtol, Double.isNaN(atol) ? 1e-6 : atol,
                a.real("weight_decay", 0));
    }
}
