package optlab.tensor.reference;

import optlab.tensor.Shapes;
import optlab.tensor.Tensor;
import optlab.tensor.internal.Checks;

/** c = alpha·a·b + beta·c by the textbook triple loop, batched with broadcasting, accumulating in double. */
final class RefGemm {
    private RefGemm() {
    }

    static void gemm(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        String op = "gemm";
        Checks.sameDType(op, a, b, c);
        if (a.rank() < 2 || b.rank() < 2 || c.rank() < 2) {
            throw new IllegalArgumentException(op + ": operands need rank >= 2, got " + Checks.describe(a, b, c));
        }
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (b.dim(-2) != k || c.dim(-2) != m || c.dim(-1) != n) {
            throw new IllegalArgumentException(op + ": shapes do not chain as [.., M, K]·[.., K, N] -> [.., M, N]: "
                    + Checks.describe(a, b, c));
        }
        int[] batch = batchShape(c);
        Tensor a3 = a.broadcastTo(concat(batch, m, k));
        Tensor b3 = b.broadcastTo(concat(batch, k, n));
        long batches = Shapes.numel(batch);
        for (long bi = 0; bi < batches; bi++) {
            Tensor am = matrix(a3, batch, bi), bm = matrix(b3, batch, bi), cm = matrix(c, batch, bi);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += am.get(i, p) * bm.get(p, j);
                    }
                    double prev = beta == 0 ? 0 : beta * cm.get(i, j);
                    cm.set(alpha * s + prev, i, j);
                }
            }
        }
    }

    private static int[] batchShape(Tensor c) {
        int[] s = c.shape();
        return java.util.Arrays.copyOf(s, s.length - 2);
    }

    private static int[] concat(int[] batch, int r, int q) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = q;
        return s;
    }

    /** The bi-th matrix of a tensor with leading batch axes {@code batch}. */
    private static Tensor matrix(Tensor t, int[] batch, long bi) {
        Tensor m = t;
        long rest = bi;
        for (int d = batch.length - 1; d >= 0; d--) {
            m = m.select(d, (int) (rest % batch[d]));
            rest /= batch[d];
        }
        return m;
    }
}
