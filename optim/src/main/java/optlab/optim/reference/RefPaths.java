package optlab.optim.reference;

import java.util.List;
import optlab.optim.DensePaths.Layer;

/**
 * The oracle for dense-chain path kernels: the |w|^p network's forward and backward passes and the
 * Path-SGD step written as plain loops in double, with κ stored for every entry.
 */
public final class RefPaths {
    private RefPaths() {
    }

    /** κ of every entry of the block (layers' offsets relative to element 0); returns φ^p in out[0]. */
    public static double[] kappa(List<Layer> layers, double[] w, double p, double[] phiOut) {
        int depth = layers.size();
        double[][] gamma = new double[depth + 1][];
        gamma[0] = new double[layers.getFirst().in()];
        java.util.Arrays.fill(gamma[0], 1);
        for (int k = 0; k < depth; k++) {
            Layer l = layers.get(k);
            gamma[k + 1] = new double[l.out()];
            for (int o = 0; o < l.out(); o++) {
                double s = l.bias() < 0 ? 0 : pow(l.multiplier() * w[(int) l.bias() + o], p);
                for (int i = 0; i < l.in(); i++) {
                    s += pow(l.multiplier() * w[(int) (l.weight() + (long) o * l.in() + i)], p) * gamma[k][i];
                }
                gamma[k + 1][o] = s;
            }
        }
        double phi = 0;
        for (double v : gamma[depth]) {
            phi += v;
        }
        if (phiOut != null) {
            phiOut[0] = phi;
        }
        double[] kappa = new double[w.length];
        double[] delta = new double[layers.getLast().out()];
        java.util.Arrays.fill(delta, 1);
        for (int k = depth - 1; k >= 0; k--) {
            Layer l = layers.get(k);
            double[] below = new double[l.in()];
            for (int o = 0; o < l.out(); o++) {
                // κ = ∂φ^p/∂|w|^p while the edge carries |m·w|^p = |m|^p·|w|^p.
                double c = pow(l.multiplier(), p);
                if (l.bias() >= 0) {
                    kappa[(int) l.bias() + o] = c * delta[o];
                }
                for (int i = 0; i < l.in(); i++) {
                    int e = (int) (l.weight() + (long) o * l.in() + i);
                    kappa[e] = c * delta[o] * gamma[k][i];
                    below[i] += pow(l.multiplier() * w[e], p) * delta[o];
                }
            }
            delta = below;
        }
        return kappa;
    }

    /** w ← w − lr·g/κ in place; entries with κ = 0 stay. */
    public static void step(List<Layer> layers, double[] w, double[] g, double p, double lr) {
        double[] kappa = kappa(layers, w, p, null);
        for (int e = 0; e < w.length; e++) {
            if (kappa[e] > 0) {
                w[e] -= lr * g[e] / kappa[e];
            }
        }
    }

    private static double pow(double w, double p) {
        return p == 2 ? w * w : Math.pow(Math.abs(w), p);
    }
}
