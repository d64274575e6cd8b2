package optlab.optim;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.tensor.Tensor;

/**
 * A non-quadratic loss with an analytic gradient, for tests: f(x) = w2ᵀ tanh(W1 x) on a fixed batch of 3-d inputs
 * with targets sin(3x₀) + x₁x₂, loss = mean ½(f − y)². Parameters are [W1 (hidden×3) row-major, w2 (hidden)].
 */
public final class TinyNet implements GradientOracle {
    public final int d = 3;
    public final int h;
    final double[][] xs;
    final double[] ys;

    /** Four hidden units. */
    public TinyNet(int batch, long seed) {
        this(batch, seed, 4);
    }

    public TinyNet(int batch, long seed, int hidden) {
        h = hidden;
        SplittableRandom rng = new SplittableRandom(seed);
        xs = new double[batch][d];
        ys = new double[batch];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < d; k++) {
                xs[i][k] = rng.nextDouble() * 2 - 1;
            }
            ys[i] = Math.sin(3 * xs[i][0]) + xs[i][1] * xs[i][2];
        }
    }

    public int size() {
        return h * d + h;
    }

    @Override
    public void gradient(Tensor params, Tensor out) {
        double[] g = new double[size()];
        gradient(params.toDoubleArray(), g);
        for (int i = 0; i < g.length; i++) {
            out.setFlat(i, g[i]);
        }
    }

    /** ∇loss at p into g, in double. */
    public void gradient(double[] p, double[] g) {
        Arrays.fill(g, 0);
        double[] a = new double[h];
        for (int i = 0; i < ys.length; i++) {
            double f = 0;
            for (int j = 0; j < h; j++) {
                double z = 0;
                for (int k = 0; k < d; k++) {
                    z += p[j * d + k] * xs[i][k];
                }
                a[j] = Math.tanh(z);
                f += p[h * d + j] * a[j];
            }
            double e = (f - ys[i]) / ys.length;
            for (int j = 0; j < h; j++) {
                g[h * d + j] += e * a[j];
                double back = e * p[h * d + j] * (1 - a[j] * a[j]);
                for (int k = 0; k < d; k++) {
                    g[j * d + k] += back * xs[i][k];
                }
            }
        }
    }
}
