package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.internal.NormGeometry;

/**
 * Batch normalization by plain loops in double, the oracle for the CPU kernel: element i of x (in
 * row-major order over its shape, whatever its strides) belongs to channel (i / spatial) mod C.
 * Two passes for the statistics (mean, then squared deviations), as the fast kernel does.
 */
final class RefNorm {
    private RefNorm() {
    }

    static void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor out, Tensor mean, Tensor var) {
        NormGeometry g = NormGeometry.forward(x, gamma, beta, out, mean, var);
        double[] mu = new double[g.c()], v = new double[g.c()];
        long count = g.perChannel();
        for (long i = 0, n = x.numel(); i < n; i++) {
            mu[channel(g, i)] += x.getFlat(i);
        }
        for (int c = 0; c < g.c(); c++) {
            mu[c] = count == 0 ? Double.NaN : mu[c] / count;
        }
        for (long i = 0, n = x.numel(); i < n; i++) {
            double d = x.getFlat(i) - mu[channel(g, i)];
            v[channel(g, i)] += d * d;
        }
        for (int c = 0; c < g.c(); c++) {
            v[c] = count == 0 ? Double.NaN : v[c] / count;
            mean.set(mu[c], c);
            var.set(v[c], c);
        }
        for (long i = 0, n = x.numel(); i < n; i++) {
            int c = channel(g, i);
            double y = (x.getFlat(i) - mu[c]) / Math.sqrt(v[c] + eps);
            y = y * (gamma == null ? 1 : gamma.get(c)) + (beta == null ? 0 : beta.get(c));
            out.setFlat(i, y);
        }
    }

    static void batchNormBackward(Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps, Tensor gx,
            Tensor gGamma, Tensor gBeta) {
        NormGeometry g = NormGeometry.backward(gOut, x, mean, var, gamma, gx, gGamma, gBeta);
        double[] sumG = new double[g.c()], sumGx = new double[g.c()];
        for (long i = 0, n = x.numel(); i < n; i++) {
            int c = channel(g, i);
            double xhat = (x.getFlat(i) - mean.get(c)) / Math.sqrt(var.get(c) + eps);
            sumG[c] += gOut.getFlat(i);
            sumGx[c] += gOut.getFlat(i) * xhat;
        }
        for (int c = 0; c < g.c(); c++) {
            if (gGamma != null) {
                gGamma.set(sumGx[c], c);
            }
            if (gBeta != null) {
                gBeta.set(sumG[c], c);
            }
        }
        if (gx == null) {
            return;
        }
        double m = g.perChannel();
        for (long i = 0, n = x.numel(); i < n; i++) {
            int c = channel(g, i);
            double r = 1 / Math.sqrt(var.get(c) + eps);
            double xhat = (x.getFlat(i) - mean.get(c)) * r;
            double scale = (gamma == null ? 1 : gamma.get(c)) * r;
            gx.setFlat(i, scale * (gOut.getFlat(i) - sumG[c] / m - xhat * sumGx[c] / m));
        }
    }

    private static int channel(NormGeometry g, long i) {
        return (int) (i / g.spatial() % g.c());
    }
}
