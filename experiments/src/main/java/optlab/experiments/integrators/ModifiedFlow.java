package optlab.experiments.integrators;

import java.util.SplittableRandom;
import optlab.optim.GradientOracle;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.Optimizers;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * Backward error analysis (Barrett and Dherin 2021, Implicit Gradient Regularization): gradient descent with step h
 * follows the flow of the modified loss L̃ = L + (h/4)‖∇L‖² to O(h²), the flow of L only to O(h). Measured as
 * optim's {@code MlpFlowTest} does, on a tanh net f(x) = w₂ᵀ tanh(W₁x) with {@code hidden} units, 3-d inputs and
 * targets sin(3x₀) + x₁x₂ on a fixed full batch (loss mean ½(f − y)², F64), weights uniform / √fan-in:
 * the optim module's {@code euler} rule steps the weights; both flows are solved by classic RK4 in doubles with
 * {@code refine} substeps per Euler step; ∇L̃ = ∇L + (h/2)H∇L with H∇L a central difference of ∇L along ∇L.
 *
 * <p>Two measures: the distances at time T for each h of {@code hs} (O(h) to L's flow, O(h²) to L̃'s, so their
 * ratio doubles as h halves), and along one run at h = {@code hs[0]}, both distances at every step.
 */
public final class ModifiedFlow {
    /** The tiny net, its data and the step sizes. */
    public record Config(int hidden, int batch, long dataSeed, long initSeed, double time, double[] hs, int refine) {
    }

    /** The distances at T per h, and along the run at hs[0] (t = k·h). */
    public record Result(Config config, double[] toL, double[] toModified, double[] slopes, double[] time,
            double[] alongL, double[] alongModified) {
    }

    /** Six hidden units, 16 samples, T = 1, h = 1/5 .. 1/80, 400 RK4 substeps per Euler step. */
    public static final Config DEFAULT = new Config(6, 16, 3, 4, 1, new double[] {0.2, 0.1, 0.05, 0.025, 0.0125}, 400);

    private ModifiedFlow() {
    }

    /** ∇L at w into out, in doubles. */
    interface Field {
        void eval(double[] w, double[] out);
    }

    /** The tanh net on its fixed batch. Parameters: [W₁ (hidden×3) row-major, w₂ (hidden)]. */
    record TanhNet(int hidden, double[][] xs, double[] ys) implements Field {
        static TanhNet of(int hidden, int batch, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[][] xs = new double[batch][3];
            double[] ys = new double[batch];
            for (int i = 0; i < batch; i++) {
                for (int k = 0; k < 3; k++) {
                    xs[i][k] = rng.nextDouble() * 2 - 1;
                }
                ys[i] = Math.sin(3 * xs[i][0]) + xs[i][1] * xs[i][2];
            }
            return new TanhNet(hidden, xs, ys);
        }

        int size() {
            return 4 * hidden;
        }

        double[] init(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] w = new double[size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (rng.nextDouble() * 2 - 1) / Math.sqrt(i < 3 * hidden ? 3 : hidden);
            }
            return w;
        }

        @Override
        public void eval(double[] p, double[] g) {
            java.util.Arrays.fill(g, 0);
            int h = hidden, out = 3 * h;
            double[] a = new double[h];
            for (int i = 0; i < ys.length; i++) {
                double f = 0;
                for (int j = 0; j < h; j++) {
                    a[j] = Math.tanh(p[3 * j] * xs[i][0] + p[3 * j + 1] * xs[i][1] + p[3 * j + 2] * xs[i][2]);
                    f += p[out + j] * a[j];
                }
                double e = (f - ys[i]) / ys.length;
                for (int j = 0; j < h; j++) {
                    g[out + j] += e * a[j];
                    double back = e * p[out + j] * (1 - a[j] * a[j]);
                    for (int k = 0; k < 3; k++) {
                        g[3 * j + k] += back * xs[i][k];
                    }
                }
            }
        }
    }

    public static Result measure(Config c) {
        TanhNet net = TanhNet.of(c.hidden(), c.batch(), c.dataSeed());
        double[] w0 = net.init(c.initSeed());
        int m = c.hs().length;
        double[] toL = new double[m], toMod = new double[m];
        double[] time = null, alongL = null, alongMod = null;
        for (int k = 0; k < m; k++) {
            double h = c.hs()[k];
            int n = (int) Math.round(c.time() / h);
            double[][] euler = euler(net, w0, h, n);
            double[][] flowL = rk4(net, w0, h, n, c.refine()), flowMod = rk4(modified(net, h), w0, h, n, c.refine());
            toL[k] = distance(euler[n], flowL[n]);
            toMod[k] = distance(euler[n], flowMod[n]);
            if (k == 0) {
                time = new double[n + 1];
                alongL = new double[n + 1];
                alongMod = new double[n + 1];
                for (int t = 0; t <= n; t++) {
                    time[t] = t * h;
                    alongL[t] = distance(euler[t], flowL[t]);
                    alongMod[t] = distance(euler[t], flowMod[t]);
                }
            }
        }
        return new Result(c, toL, toMod, new double[] {slope(c.hs(), toL), slope(c.hs(), toMod)}, time, alongL, alongMod);
    }

    /** n steps of optim's euler rule at lr h on an F64 tensor; row t is w after t steps. */
    static double[][] euler(Field f, double[] w0, double h, int n) {
        double[][] path = new double[n + 1][];
        path[0] = w0.clone();
        Optimizer opt = Optimizers.parse("euler");
        try (Scope scope = Scope.open()) {
            Tensor p = scope.of(DType.F64, w0, w0.length), g = scope.zeros(DType.F64, w0.length);
            GradientOracle oracle = (params, out) -> {
                double[] w = params.toDoubleArray(), grad = new double[w.length];
                f.eval(w, grad);
                for (int i = 0; i < grad.length; i++) {
                    out.setFlat(i, grad[i]);
                }
            };
            try (OptimizerState s = opt.init(p)) {
                for (int t = 1; t <= n; t++) {
                    oracle.gradient(p, g);
                    opt.step(s, p, g, h, oracle);
                    path[t] = p.toDoubleArray();
                }
            }
        }
        return path;
    }

    /** Classic RK4 on dw/dt = −f(w), {@code refine} substeps per interval h; row t is w at time t·h. */
    static double[][] rk4(Field f, double[] w0, double h, int n, int refine) {
        int d = w0.length;
        double dt = h / refine;
        double[][] path = new double[n + 1][];
        double[] w = w0.clone(), y = new double[d];
        double[][] k = new double[4][d];
        double[] node = {0, 0.5, 0.5, 1}, b = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
        path[0] = w.clone();
        for (int t = 1; t <= n; t++) {
            for (int s = 0; s < refine; s++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < d; j++) {
                        y[j] = i == 0 ? w[j] : w[j] - dt * node[i] * k[i - 1][j];
                    }
                    f.eval(y, k[i]);
                }
                for (int j = 0; j < d; j++) {
                    w[j] -= dt * (b[0] * k[0][j] + b[1] * k[1][j] + b[2] * k[2][j] + b[3] * k[3][j]);
                }
            }
            path[t] = w.clone();
        }
        return path;
    }

    /** ∇L̃(w) = ∇L(w) + (h/2) H(w)∇L(w), H∇L by a central difference along ∇L (step 1e-5/‖∇L‖). */
    static Field modified(Field grad, double h) {
        return (w, out) -> {
            int n = w.length;
            double[] g = new double[n], gp = new double[n], gm = new double[n], y = new double[n];
            grad.eval(w, g);
            double norm = 0;
            for (double x : g) {
                norm += x * x;
            }
            double eps = norm == 0 ? 0 : 1e-5 / Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                y[i] = w[i] + eps * g[i];
            }
            grad.eval(y, gp);
            for (int i = 0; i < n; i++) {
                y[i] = w[i] - eps * g[i];
            }
            grad.eval(y, gm);
            for (int i = 0; i < n; i++) {
                out[i] = g[i] + (eps == 0 ? 0 : h / 2 * (gp[i] - gm[i]) / (2 * eps));
            }
        };
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Least-squares slope of log y against log x. */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]) / n;
            my += Math.log(y[i]) / n;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
            sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
        }
        return sxy / sxx;
    }
}
