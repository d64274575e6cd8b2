package optlab.tensor.internal;

import java.util.Arrays;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Conv2dSpec;

/**
 * The sizes of one 2-D convolution, x [N, C, H, W] * w [O, C, kh, kw] -&gt; out [N, O, Ho, Wo], checked
 * once for every backend so each op fails with the same message naming the argument at fault.
 */
public record ConvGeometry(int n, int c, int h, int w, int o, int kh, int kw,
                           int strideH, int strideW, int padH, int padW, int ho, int wo) {

    /** Rows of the unfolded input (im2col): one per (channel, kernel row, kernel column). */
    public int patch() {
        return c * kh * kw;
    }

    /** Output pixels per image and channel. */
    public int pixels() {
        return ho * wo;
    }

    /** Checks conv2d's arguments; bias may be null. */
    public static ConvGeometry forward(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        String op = "conv2d";
        Checks.sameDType(op, x, w, bias, out);
        ConvGeometry g = of(op, "x", x, w, spec);
        Checks.shape(op, "out", out, g.n, g.o, g.ho, g.wo);
        if (bias != null) {
            Checks.shape(op, "bias", bias, g.o);
        }
        return g;
    }

    /** Checks conv2dBackwardInput's arguments: gx has the input's shape. */
    public static ConvGeometry backwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        String op = "conv2dBackwardInput";
        Checks.sameDType(op, gOut, w, gx);
        ConvGeometry g = of(op, "gx", gx, w, spec);
        Checks.shape(op, "gOut", gOut, g.n, g.o, g.ho, g.wo);
        return g;
    }

    /** Checks conv2dBackwardWeight's arguments; gBias may be null. */
    public static ConvGeometry backwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        String op = "conv2dBackwardWeight";
        Checks.sameDType(op, gOut, x, gw, gBias);
        ConvGeometry g = of(op, "x", x, gw, spec);
        Checks.shape(op, "gOut", gOut, g.n, g.o, g.ho, g.wo);
        if (gBias != null) {
            Checks.shape(op, "gBias", gBias, g.o);
        }
        return g;
    }

    private static ConvGeometry of(String op, String xName, Tensor x, Tensor w, Conv2dSpec spec) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": " + xName + " must be [N, C, H, W], got shape "
                    + Arrays.toString(x.shape()));
        }
        if (w.rank() != 4) {
            throw new IllegalArgumentException(op + ": weights must be [O, C, kh, kw], got shape "
                    + Arrays.toString(w.shape()));
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        if (w.dim(1) != c) {
            throw new IllegalArgumentException(op + ": weights " + Arrays.toString(w.shape()) + " expect " + w.dim(1)
                    + " input channels but " + xName + " " + Arrays.toString(x.shape()) + " has " + c);
        }
        if (kh < 1 || kw < 1 || h + 2 * spec.padH() < kh || wd + 2 * spec.padW() < kw) {
            throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw + " does not fit " + xName + " "
                    + Arrays.toString(x.shape()) + " padded by " + spec.padH() + "x" + spec.padW());
        }
        int ho = Conv2dSpec.outSize(h, kh, spec.strideH(), spec.padH());
        int wo = Conv2dSpec.outSize(wd, kw, spec.strideW(), spec.padW());
        return new ConvGeometry(n, c, h, wd, o, kh, kw, spec.strideH(), spec.strideW(), spec.padH(), spec.padW(), ho, wo);
    }
}
