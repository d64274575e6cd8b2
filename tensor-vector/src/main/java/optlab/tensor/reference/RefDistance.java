package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.internal.DistanceShapes;

/**
 * Weighted squared distances by their definition, out[n, m] = Σ_d w[m, d]·(x[n, d] − c[m, d])²
 * (w null means all ones), and their gradients, each summed directly in double.
 */
final class RefDistance {
    private RefDistance() {
    }

    static void pairwiseSqDist(Tensor x, Tensor c, Tensor w, Tensor out) {
        DistanceShapes s = DistanceShapes.forward(x, c, w, out);
        for (int n = 0; n < s.n(); n++) {
            for (int m = 0; m < s.m(); m++) {
                double sum = 0;
                for (int d = 0; d < s.d(); d++) {
                    double diff = x.get(n, d) - c.get(m, d);
                    sum += weight(w, m, d) * diff * diff;
                }
                out.set(sum, n, m);
            }
        }
    }

    /**
     * gx[n, d] = Σ_m 2·g[n, m]·w[m, d]·(x[n, d] − c[m, d]); gc[m, d] = −Σ_n 2·g[n, m]·w[m, d]·(x[n, d] − c[m, d]);
     * gw[m, d] = Σ_n g[n, m]·(x[n, d] − c[m, d])².
     */
    static void backward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        DistanceShapes s = DistanceShapes.backward(g, x, c, w, gx, gc, gw);
        for (int d = 0; d < s.d(); d++) {
            if (gx != null) {
                for (int n = 0; n < s.n(); n++) {
                    double sum = 0;
                    for (int m = 0; m < s.m(); m++) {
                        sum += 2 * g.get(n, m) * weight(w, m, d) * (x.get(n, d) - c.get(m, d));
                    }
                    gx.set(sum, n, d);
                }
            }
            for (int m = 0; m < s.m(); m++) {
                double sumC = 0, sumW = 0;
                for (int n = 0; n < s.n(); n++) {
                    double diff = x.get(n, d) - c.get(m, d);
                    sumC -= 2 * g.get(n, m) * weight(w, m, d) * diff;
                    sumW += g.get(n, m) * diff * diff;
                }
                if (gc != null) {
                    gc.set(sumC, m, d);
                }
                if (gw != null) {
                    gw.set(sumW, m, d);
                }
            }
        }
    }

    private static double weight(Tensor w, int m, int d) {
        return w == null ? 1 : w.get(m, d);
    }
}
