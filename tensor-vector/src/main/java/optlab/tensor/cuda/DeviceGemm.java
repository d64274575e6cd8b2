package optlab.tensor.cuda;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Shapes;
import optlab.tensor.Tensor;
import optlab.tensor.internal.Checks;

/**
 * Row-major batched GEMM on cuBLAS through the transpose identity: cuBLAS is column-major, and a row-major
 * C = A·B read column-major is Cᵀ = Bᵀ·Aᵀ, so we ask for m = N, n = M with the operands swapped. A row-major
 * operand read column-major is already its transpose (op N); a transposed view (unit stride on its rows) is
 * the matrix itself (op T). Batch axes that collapse to one stride per operand become one strided-batched
 * call. Operands with neither layout (and outputs not row-major) go through a contiguous copy.
 */
final class DeviceGemm {
    private static final String OP = "gemm";

    /** How cuBLAS reads one operand: op and leading dimension. */
    record Layout(int op, int ld) {
        /**
         * The layout of an R×S view with row stride s0 and column stride s1 as the column-major S×R matrix cuBLAS
         * wants (Xᵀ): row-major memory is that matrix (op N, ld s0); column-major memory is X itself (op T, ld s1).
         * Null when neither fits.
         */
        static Layout of(int r, int s, long s0, long s1) {
            if (s <= 1 || s1 == 1) {
                long ld = r <= 1 ? Math.max(1, s) : s0;
                if (ld >= Math.max(1, s) && ld <= Integer.MAX_VALUE) {
                    return new Layout(Cublas.OP_N, (int) ld);
                }
            }
            if (r <= 1 || s0 == 1) {
                long ld = s <= 1 ? Math.max(1, r) : s1;
                if (ld >= Math.max(1, r) && ld <= Integer.MAX_VALUE) {
                    return new Layout(Cublas.OP_T, (int) ld);
                }
            }
            return null;
        }
    }

    private DeviceGemm() {
    }

    /** Shape checks as the CPU backend makes them; returns the batch shape (c's leading axes). */
    static int[] check(Tensor a, Tensor b, Tensor c) {
        Checks.sameDType(OP, a, b, c);
        if (a.rank() < 2 || b.rank() < 2 || c.rank() < 2) {
            throw new IllegalArgumentException(OP + ": operands need rank >= 2, got " + Checks.describe(a, b, c));
        }
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (b.dim(-2) != k || c.dim(-2) != m || c.dim(-1) != n) {
            throw new IllegalArgumentException(OP + ": shapes do not chain as [.., M, K]·[.., K, N] -> [.., M, N]: "
                    + Checks.describe(a, b, c));
        }
        return Arrays.copyOf(c.shape(), c.rank() - 2);
    }

    /** Strides of x's batch axes aligned to the batch shape, 0 where x broadcasts. */
    static long[] batchStrides(String name, Tensor x, int[] batch, Tensor c) {
        int lead = x.rank() - 2;
        long[] st = new long[batch.length];
        boolean ok = lead <= batch.length;
        for (int d = 0; ok && d < lead; d++) {
            int to = batch.length - lead + d;
            if (x.dim(d) == batch[to]) {
                st[to] = x.stride(d);
            } else {
                ok = x.dim(d) == 1;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(OP + ": batch axes of " + name + " do not broadcast to the output's: "
                    + Arrays.toString(x.shape()) + " vs " + Arrays.toString(c.shape()));
        }
        return st;
    }

    /**
     * c = alpha·a·b + beta·c on device addresses (element [0..] of each view) with cuBLAS-readable layouts;
     * the caller has checked shapes and made every operand's layout non-null.
     */
    static void run(Cublas cublas, long handle, DType dtype, int[] batch, double alpha, Tensor a, long pa, Tensor b,
            long pb, double beta, Tensor c, long pc) {
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (m == 0 || n == 0 || Shapes.numel(batch) == 0) {
            return;
        }
        Layout la = layout(a), lb = layout(b), lc = layout(c);
        long[][] st = {batchStrides("a", a, batch, c), batchStrides("b", b, batch, c), Arrays.copyOf(c.strides(), batch.length)};
        // Collapse batch axes: drop size-1 axes, merge an axis into the next when every operand allows it.
        int[] shape = new int[batch.length];
        long[][] cs = new long[3][batch.length];
        int rank = 0;
        for (int d = 0; d < batch.length; d++) {
            if (batch[d] == 1) {
                continue;
            }
            boolean merge = rank > 0;
            for (int o = 0; merge && o < 3; o++) {
                merge = cs[o][rank - 1] == st[o][d] * batch[d];
            }
            if (merge) {
                shape[rank - 1] *= batch[d];
                for (int o = 0; o < 3; o++) {
                    cs[o][rank - 1] = st[o][d];
                }
            } else {
                shape[rank] = batch[d];
                for (int o = 0; o < 3; o++) {
                    cs[o][rank] = st[o][d];
                }
                rank++;
            }
        }
        int inner = rank == 0 ? 1 : shape[rank - 1];
        long outer = rank <= 1 ? 1 : Shapes.numel(Arrays.copyOf(shape, rank - 1));
        long es = dtype.byteSize();
        int[] idx = new int[Math.max(0, rank - 1)];
        for (long q = 0; q < outer; q++) {
            long oa = 0, ob = 0, oc = 0;
            for (int d = 0; d < idx.length; d++) {
                oa += idx[d] * cs[0][d];
                ob += idx[d] * cs[1][d];
                oc += idx[d] * cs[2][d];
            }
            long sa = rank == 0 ? 0 : cs[0][rank - 1], sb = rank == 0 ? 0 : cs[1][rank - 1], sc = rank == 0 ? 0 : cs[2][rank - 1];
            // Column-major: C' (N×M) = op(B') (N×K) · op(A') (K×M).
            cublas.gemm(handle, dtype, lb.op(), la.op(), n, m, k, alpha, pb + ob * es, lb.ld(), sb, pa + oa * es, la.ld(), sa,
                    beta, pc + oc * es, lc.ld(), sc, inner);
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /** The cuBLAS layout of an operand's last two axes (null: needs a contiguous copy). */
    static Layout layout(Tensor x) {
        return Layout.of(x.dim(-2), x.dim(-1), x.stride(-2), x.stride(-1));
    }

    /** An output must be row-major to be written in place (cuBLAS writes C untransposed). */
    static boolean writable(Tensor c) {
        Layout l = layout(c);
        return l != null && l.op() == Cublas.OP_N;
    }
}
