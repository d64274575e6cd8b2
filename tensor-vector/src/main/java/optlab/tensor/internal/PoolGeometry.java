package optlab.tensor.internal;

import java.util.Arrays;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;

/**
 * The sizes of one 2-D pooling, x [N, C, H, W] -&gt; out [N, C, Ho, Wo], checked once for every backend.
 * {@code planes} = N·C independent image planes.
 */
public record PoolGeometry(int n, int c, int h, int w, int ho, int wo) {

    public int planes() {
        return n * c;
    }

    /** Checks a pooling's input and output (and argmax, which may be null, shaped like out). */
    public static PoolGeometry of(String op, Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        Checks.sameDType(op, x, out, argmax);
        PoolGeometry g = input(op, "x", x, spec);
        Checks.shape(op, "out", out, g.n, g.c, g.ho, g.wo);
        if (argmax != null) {
            Checks.shape(op, "argmax", argmax, g.n, g.c, g.ho, g.wo);
        }
        return g;
    }

    /** Checks a pooling's backward arguments: gx has the input's shape, gOut the output's. */
    public static PoolGeometry backward(String op, Tensor gOut, Pool2dSpec spec, Tensor gx) {
        Checks.sameDType(op, gOut, gx);
        PoolGeometry g = input(op, "gx", gx, spec);
        Checks.shape(op, "gOut", gOut, g.n, g.c, g.ho, g.wo);
        return g;
    }

    /** Checks max pooling's backward arguments, where the geometry comes from the tensors alone. */
    public static PoolGeometry maxBackward(Tensor gOut, Tensor argmax, Tensor gx) {
        String op = "maxPool2dBackward";
        Checks.sameDType(op, gOut, argmax, gx);
        Checks.rank(op, "gOut", gOut, 4);
        Checks.rank(op, "gx", gx, 4);
        Checks.shape(op, "argmax", argmax, gOut.shape());
        if (gOut.dim(0) != gx.dim(0) || gOut.dim(1) != gx.dim(1)) {
            throw new IllegalArgumentException(op + ": gOut " + Arrays.toString(gOut.shape()) + " and gx "
                    + Arrays.toString(gx.shape()) + " differ in batch or channels");
        }
        return new PoolGeometry(gx.dim(0), gx.dim(1), gx.dim(2), gx.dim(3), gOut.dim(2), gOut.dim(3));
    }

    private static PoolGeometry input(String op, String name, Tensor x, Pool2dSpec spec) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": " + name + " must be [N, C, H, W], got shape "
                    + Arrays.toString(x.shape()));
        }
        int h = x.dim(2), w = x.dim(3);
        if (h + 2 * spec.padH() < spec.kernelH() || w + 2 * spec.padW() < spec.kernelW()) {
            throw new IllegalArgumentException(op + ": kernel " + spec.kernelH() + "x" + spec.kernelW()
                    + " does not fit " + name + " " + Arrays.toString(x.shape()) + " padded by " + spec.padH() + "x"
                    + spec.padW());
        }
        return new PoolGeometry(x.dim(0), x.dim(1), h, w, spec.outH(h), spec.outW(w));
    }
}
