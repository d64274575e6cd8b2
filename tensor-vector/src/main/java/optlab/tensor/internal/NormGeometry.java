package optlab.tensor.internal;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * The sizes of a batch normalization over channel axis 1 of x [N, C, ...]: n samples, c channels and
 * spatial cells per sample and channel (the product of the axes after 1; 1 for x [N, C]). Checked
 * once for every backend so each op fails with the same message.
 */
public record NormGeometry(int n, int c, int spatial) {

    /** Values per channel that the statistics run over. */
    public long perChannel() {
        return (long) n * spatial;
    }

    /** Checks batchNorm's arguments; gamma and beta may be null. */
    public static NormGeometry forward(Tensor x, Tensor gamma, Tensor beta, Tensor out, Tensor mean, Tensor var) {
        String op = "batchNorm";
        Checks.sameDType(op, x, gamma, beta, out, mean, var);
        NormGeometry g = of(op, x);
        Checks.shape(op, "out", out, x.shape());
        perChannel(op, g, "gamma", gamma);
        perChannel(op, g, "beta", beta);
        perChannel(op, g, "mean", mean);
        perChannel(op, g, "var", var);
        return g;
    }

    /** Checks batchNormBackward's arguments; gamma, gx, gGamma and gBeta may be null. */
    public static NormGeometry backward(Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor gx,
            Tensor gGamma, Tensor gBeta) {
        String op = "batchNormBackward";
        Checks.sameDType(op, gOut, x, mean, var, gamma, gx, gGamma, gBeta);
        NormGeometry g = of(op, x);
        Checks.shape(op, "gOut", gOut, x.shape());
        if (gx != null) {
            Checks.shape(op, "gx", gx, x.shape());
        }
        perChannel(op, g, "mean", mean);
        perChannel(op, g, "var", var);
        perChannel(op, g, "gamma", gamma);
        perChannel(op, g, "gGamma", gGamma);
        perChannel(op, g, "gBeta", gBeta);
        return g;
    }

    private static NormGeometry of(String op, Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": x must be [N, C, ...], got " + Arrays.toString(x.shape()));
        }
        long spatial = 1;
        for (int d = 2; d < x.rank(); d++) {
            spatial *= x.dim(d);
        }
        return new NormGeometry(x.dim(0), x.dim(1), Math.toIntExact(spatial));
    }

    private static void perChannel(String op, NormGeometry g, String name, Tensor t) {
        if (t != null) {
            Checks.shape(op, name, t, g.c);
        }
    }
}
