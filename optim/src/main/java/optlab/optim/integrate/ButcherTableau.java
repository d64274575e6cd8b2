package optlab.optim.integrate;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta method's coefficients: for s stages, the strictly lower-triangular matrix a (row i holds
 * a_i0 … a_i,i−1; row 0 is empty), the weights b and the nodes c. On dw/dt = f(w) with step h,
 * k_i = f(w + h Σ_{j&lt;i} a_ij k_j) and w ← w + h Σ_i b_i k_i. Validated at construction: finite entries,
 * consistency Σ b_i = 1 (first order at least) and c_i = Σ_j a_ij (every stage at its own time), both within 1e-12.
 *
 * @param a rows of the strictly lower triangle, row i of length i
 * @param b weights, one per stage
 * @param c nodes, one per stage
 */
public record ButcherTableau(double[][] a, double[] b, double[] c) {
    private static final double TOL = 1e-12;

    public ButcherTableau {
        int s = b.length;
        if (s == 0) {
            throw new IllegalArgumentException("a Butcher tableau needs at least one stage");
        }
        if (a.length != s || c.length != s) {
            throw new IllegalArgumentException("a Butcher tableau of " + s + " weights needs " + s + " rows of a and "
                    + s + " nodes, got " + a.length + " rows and " + c.length + " nodes");
        }
        a = a.clone();
        double sumB = 0;
        for (int i = 0; i < s; i++) {
            a[i] = a[i].clone();
            if (a[i].length != i) {
                throw new IllegalArgumentException("row " + (i + 1) + " of an explicit tableau's a must hold " + i
                        + " entries (the strictly lower triangle), got " + Arrays.toString(a[i]));
            }
            double sumA = 0;
            for (double x : a[i]) {
                finite("a", x);
                sumA += x;
            }
            finite("b", b[i]);
            finite("c", c[i]);
            if (Math.abs(sumA - c[i]) > TOL) {
                throw new IllegalArgumentException("inconsistent tableau: c_" + (i + 1) + " = " + c[i] + " but row "
                        + (i + 1) + " of a sums to " + sumA);
            }
            sumB += b[i];
        }
        if (Math.abs(sumB - 1) > TOL) {
            throw new IllegalArgumentException("inconsistent tableau: the weights b sum to " + sumB + ", not 1");
        }
        b = b.clone();
        c = c.clone();
    }

    /** The tableau with nodes c_i = Σ_j a_ij. */
    public static ButcherTableau of(double[][] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (double x : a[i]) {
                c[i] += x;
            }
        }
        return new ButcherTableau(a, b, c);
    }

    /** Forward Euler, order 1: w ← w + h f(w). */
    public static ButcherTableau euler() {
        return new ButcherTableau(new double[][] {{}}, new double[] {1}, new double[] {0});
    }

    /** Heun's method (explicit trapezoid), order 2: k2 = f(w + h k1), w ← w + h (k1 + k2)/2. */
    public static ButcherTableau heun() {
        return new ButcherTableau(new double[][] {{}, {1}}, new double[] {0.5, 0.5}, new double[] {0, 1});
    }

    /** Explicit midpoint, order 2: k2 = f(w + h k1/2), w ← w + h k2. */
    public static ButcherTableau midpoint() {
        return new ButcherTableau(new double[][] {{}, {0.5}}, new double[] {0, 1}, new double[] {0, 0.5});
    }

    /** Ralston's method, order 2 with the least error bound: k2 = f(w + (2/3) h k1), w ← w + h (k1/4 + 3 k2/4). */
    public static ButcherTableau ralston() {
        return new ButcherTableau(new double[][] {{}, {2.0 / 3}}, new double[] {0.25, 0.75}, new double[] {0, 2.0 / 3});
    }

    /** The classic fourth-order method: nodes 0, ½, ½, 1, weights (1, 2, 2, 1)/6. */
    public static ButcherTableau rk4() {
        return new ButcherTableau(new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
                new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, new double[] {0, 0.5, 0.5, 1});
    }

    /** Number of stages s. */
    public int stages() {
        return b.length;
    }

    /** a_ij for j &lt; i. */
    public double a(int i, int j) {
        return a[i][j];
    }

    /** b_i. */
    public double b(int i) {
        return b[i];
    }

    /**
     * Whether each stage uses only the one before it (a_ij = 0 for j &lt; i − 1): then a step needs one stage buffer
     * and a running sum of Σ b_i k_i, not all s stages.
     */
    public boolean isChain() {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < i - 1; j++) {
                if (a[i][j] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The rows below the first, as a spec writes them: "[[0.5],[0.0,0.5]]" ("[]" for one stage). */
    String rowsSpec() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 1; i < a.length; i++) {
            sb.append(i > 1 ? "," : "").append(listSpec(a[i]));
        }
        return sb.append(']').toString();
    }

    static String listSpec(double[] xs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) {
            sb.append(i > 0 ? "," : "").append(xs[i]);
        }
        return sb.append(']').toString();
    }

    private static void finite(String what, double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("a Butcher tableau's " + what + " must be finite, got " + x);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ButcherTableau t && Arrays.deepEquals(a, t.a) && Arrays.equals(b, t.b)
                && Arrays.equals(c, t.c);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.deepHashCode(a) + Arrays.hashCode(b)) + Arrays.hashCode(c);
    }

    @Override
    public String toString() {
        return "ButcherTableau[a=" + Arrays.deepToString(a) + ", b=" + Arrays.toString(b) + ", c=" + Arrays.toString(c)
                + "]";
    }

    @Override
    public double[][] a() {
        double[][] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i].clone();
        }
        return out;
    }

    @Override
    public double[] b() {
        return b.clone();
    }

    @Override
    public double[] c() {
        return c.clone();
    }
}
