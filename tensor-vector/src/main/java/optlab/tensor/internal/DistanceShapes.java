package optlab.tensor.internal;

import optlab.tensor.Tensor;

/** The sizes of pairwise distances between x [N, D] and centroids c [M, D], checked once for every backend. */
public record DistanceShapes(int n, int m, int d) {

    /** Checks pairwiseSqDist's arguments; w may be null. */
    public static DistanceShapes forward(Tensor x, Tensor c, Tensor w, Tensor out) {
        String op = "pairwiseSqDist";
        Checks.sameDType(op, x, c, w, out);
        DistanceShapes s = of(op, x, c, w);
        Checks.shape(op, "out", out, s.n, s.m);
        return s;
    }

    /** Checks pairwiseSqDistBackward's arguments; w, gx, gc and gw may be null. */
    public static DistanceShapes backward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        String op = "pairwiseSqDistBackward";
        Checks.sameDType(op, g, x, c, w, gx, gc, gw);
        DistanceShapes s = of(op, x, c, w);
        Checks.shape(op, "g", g, s.n, s.m);
        if (gx != null) {
            Checks.shape(op, "gx", gx, s.n, s.d);
        }
        if (gc != null) {
            Checks.shape(op, "gc", gc, s.m, s.d);
        }
        if (gw != null) {
            Checks.shape(op, "gw", gw, s.m, s.d);
        }
        return s;
    }

    private static DistanceShapes of(String op, Tensor x, Tensor c, Tensor w) {
        Checks.rank(op, "x", x, 2);
        Checks.rank(op, "c", c, 2);
        if (c.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": x " + java.util.Arrays.toString(x.shape()) + " and centroids c "
                    + java.util.Arrays.toString(c.shape()) + " differ in dimension D");
        }
        if (w != null) {
            Checks.shape(op, "w", w, c.shape());
        }
        return new DistanceShapes(x.dim(0), c.dim(0), x.dim(1));
    }
}
