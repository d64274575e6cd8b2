package optlab.optim.integrate;

import optlab.optim.GradientOracle;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/** Test plumbing: a gradient field in plain doubles, the training loop's step around it, and a reference solver. */
final class Flow {
    private Flow() {
    }

    /** ∇L at w, written into out (plain double arithmetic). */
    interface Field {
        void eval(double[] w, double[] out);
    }

    /** The field as an oracle: reads params, writes out (rounded to its dtype). */
    static GradientOracle oracle(Field f) {
        return (params, out) -> {
            double[] w = params.toDoubleArray(), g = new double[w.length];
            f.eval(w, g);
            for (int i = 0; i < g.length; i++) {
                out.setFlat(i, g[i]);
            }
        };
    }

    /** The loop: {@code steps} times, grads = ∇L(params), then one step at lr h with the oracle. */
    static double[] run(Optimizer opt, DType dtype, double[] w0, Field f, double h, int steps) {
        try (Scope scope = Scope.open()) {
            Tensor p = scope.of(dtype, w0, w0.length), g = scope.zeros(dtype, w0.length);
            GradientOracle oracle = oracle(f);
            try (OptimizerState s = opt.init(p)) {
                for (int t = 0; t < steps; t++) {
                    oracle.gradient(p, g);
                    opt.step(s, p, g, h, oracle);
                }
            }
            return p.toDoubleArray();
        }
    }

    /** Classic RK4 in doubles on dw/dt = −∇L(w) up to time T in n equal steps: the reference flow. */
    static double[] rk4(Field f, double[] w0, double time, int n) {
        int d = w0.length;
        double h = time / n;
        double[] w = w0.clone(), y = new double[d];
        double[][] k = new double[4][d];
        double[] node = {0, 0.5, 0.5, 1}, b = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < d; j++) {
                    y[j] = i == 0 ? w[j] : w[j] - h * node[i] * k[i - 1][j];
                }
                f.eval(y, k[i]);
            }
            for (int j = 0; j < d; j++) {
                w[j] -= h * (b[0] * k[0][j] + b[1] * k[1][j] + b[2] * k[2][j] + b[3] * k[3][j]);
            }
        }
        return w;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Least-squares slope of log(err) against log(h). */
    static double slope(double[] h, double[] err) {
        int n = h.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(h[i]) / n;
            my += Math.log(err[i]) / n;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(h[i]) - mx;
            sxy += dx * (Math.log(err[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    /**
     * L = ½(w − w*)ᵀA(w − w*) with A = Q diag(λ) Qᵀ (Q a fixed rotation of 4 dims), whose flow is known exactly:
     * w(t) = w* + Q exp(−Λt) Qᵀ (w_0 − w*).
     */
    static final class Quadratic implements Field {
        final double[] lambda = {0.5, 1, 2, 3};
        final double[][] q = rotation(4);
        final double[] center = {0.3, -0.7, 1.1, 0.2};
        final double[][] a = new double[4][4];

        Quadratic() {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    for (int k = 0; k < 4; k++) {
                        a[i][j] += q[i][k] * lambda[k] * q[j][k];
                    }
                }
            }
        }

        @Override
        public void eval(double[] w, double[] out) {
            for (int i = 0; i < 4; i++) {
                double s = 0;
                for (int j = 0; j < 4; j++) {
                    s += a[i][j] * (w[j] - center[j]);
                }
                out[i] = s;
            }
        }

        /** w(t) from w0, exactly (up to rounding). */
        double[] exact(double[] w0, double t) {
            double[] z = new double[4], out = center.clone();
            for (int k = 0; k < 4; k++) {
                for (int i = 0; i < 4; i++) {
                    z[k] += q[i][k] * (w0[i] - center[i]);
                }
                z[k] *= Math.exp(-lambda[k] * t);
            }
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 4; k++) {
                    out[i] += q[i][k] * z[k];
                }
            }
            return out;
        }

        /** A product of plane rotations: orthogonal, fixed, and not axis-aligned. */
        static double[][] rotation(int n) {
            double[][] q = new double[n][n];
            for (int i = 0; i < n; i++) {
                q[i][i] = 1;
            }
            double angle = 0.4;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++, angle += 0.37) {
                    double c = Math.cos(angle), s = Math.sin(angle);
                    for (int r = 0; r < n; r++) {
                        double x = q[r][i], y = q[r][j];
                        q[r][i] = c * x - s * y;
                        q[r][j] = s * x + c * y;
                    }
                }
            }
            return q;
        }
    }
}
