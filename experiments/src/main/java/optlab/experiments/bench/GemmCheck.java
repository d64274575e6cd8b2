package optlab.experiments.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * Checks a product C = A·B before it is timed. Two tests: element by element against an oracle
 * (OpenBLAS or the reference backend), and Freivalds' test C·r = A·(B·r) in double for random ±1
 * vectors r, which costs O(n²) and so also covers sizes where no oracle is affordable.
 *
 * <p>Tolerance: rounding in a K-term dot product of random-sign data grows like √K·max|a|·max|b|
 * times the unit roundoff, so an element may differ by rtol·√K·max|a|·max|b| (rtol 1e-4 for F32,
 * 1e-12 for F64, about 1000 and 10000 unit roundoffs). A wrong index or transpose moves an element
 * by about √K·max|a|·max|b|/3, far outside. Freivalds' sum over N terms adds a factor √N.
 */
final class GemmCheck {
    private GemmCheck() {
    }

    static double rtol(DType dtype) {
        return dtype == DType.F32 ? 1e-4 : 1e-12;
    }

    /** Largest |c − expected| allowed for a K-term product of a and b. */
    static double tolerance(Tensor a, Tensor b) {
        return rtol(a.dtype()) * Math.sqrt(Math.max(1, a.dim(1))) * maxAbs(a) * maxAbs(b);
    }

    /** Fails naming {@code what}, the first bad element and both values, unless actual ≈ expected. */
    static void compare(String what, Tensor a, Tensor b, Tensor expected, Tensor actual) {
        double tol = tolerance(a, b);
        int m = actual.dim(0), n = actual.dim(1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double e = at(expected, i, j), x = at(actual, i, j);
                if (!(Math.abs(x - e) <= tol)) {
                    throw new IllegalStateException(what + ": element [" + i + ", " + j + "] of " + describe(a, b, actual)
                            + " is " + x + ", expected " + e + " (tolerance " + tol + ")");
                }
            }
        }
    }

    /** Freivalds' test with two random ±1 vectors; fails naming {@code what} and the first bad row. */
    static void freivalds(String what, Tensor a, Tensor b, Tensor c, long seed) {
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] r = new double[2][n];
        for (double[] v : r) {
            for (int j = 0; j < n; j++) {
                v[j] = rng.nextBoolean() ? 1 : -1;
            }
        }
        double[][] br = new double[2][k]; // B·r
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                double x = at(b, p, j);
                br[0][p] += x * r[0][j];
                br[1][p] += x * r[1][j];
            }
        }
        double tol = tolerance(a, b) * Math.sqrt(Math.max(1, n));
        for (int i = 0; i < m; i++) {
            for (int v = 0; v < 2; v++) {
                double abr = 0, cr = 0;
                for (int p = 0; p < k; p++) {
                    abr += at(a, i, p) * br[v][p];
                }
                for (int j = 0; j < n; j++) {
                    cr += at(c, i, j) * r[v][j];
                }
                if (!(Math.abs(cr - abr) <= tol)) {
                    throw new IllegalStateException(what + ": row " + i + " of " + describe(a, b, c)
                            + " fails Freivalds' test: (C·r)[i] = " + cr + ", (A·(B·r))[i] = " + abr + " (tolerance " + tol + ")");
                }
            }
        }
    }

    private static double maxAbs(Tensor t) {
        double mx = 0;
        for (int i = 0; i < t.dim(0); i++) {
            for (int j = 0; j < t.dim(1); j++) {
                mx = Math.max(mx, Math.abs(at(t, i, j)));
            }
        }
        return mx;
    }

    /** Element [i, j] of a 2-D view, without Tensor.get's varargs array. */
    private static double at(Tensor t, int i, int j) {
        return t.dtype().get(t.segment(), t.offset() + i * t.stride(0) + j * t.stride(1));
    }

    private static String describe(Tensor a, Tensor b, Tensor c) {
        return "C" + Arrays.toString(c.shape()) + " = A" + Arrays.toString(a.shape()) + "·B" + Arrays.toString(b.shape())
                + " (" + c.dtype() + ")";
    }
}
