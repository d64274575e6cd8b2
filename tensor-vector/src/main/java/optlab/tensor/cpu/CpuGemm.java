package optlab.tensor.cpu;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Shapes;
import optlab.tensor.Tensor;
import optlab.tensor.internal.Checks;

/**
 * Batched, broadcasting GEMM on the CPU: checks the call, walks the batch, and hands each matrix
 * product to the blocked Vector API kernel of its dtype ({@link GemmBlockedF32}, {@link GemmBlockedF64}),
 * computing c = a·b or, when the operands' layouts make it cheaper, cᵀ = bᵀ·aᵀ.
 */
final class CpuGemm {
    private static final String OP = "gemm";
    /** Runs batch members' inner loops on the thread that took them. */
    private static final Parallel SERIAL = new Parallel(1);
    /**
     * Below this many multiply-adds a product runs on one thread: handing work to a second thread
     * costs more than it saves (JMH, 2 threads vs 1: 64³ 14 vs 79 GFLOP/s, 128³ 86 vs 100,
     * 100×10·10×4000 55 vs 61; 256³ 132 vs 105).
     */
    static final long PARALLEL_MIN_PRODUCT = 1L << 22;
    /** Below this many multiply-adds per matrix, batch members are spread over threads whole. */
    private static final long SMALL_PRODUCT = 1L << 23;
    /**
     * Products with at most this many rows or columns, both operands contiguous along K, take dot
     * products. At 32 they still beat the packed kernel (F32, one thread: 63 vs 53 GFLOP/s on
     * 32×4000·(4000×4000)ᵀ, 83 vs 78 on 100×4000·(32×4000)ᵀ; F64 30 vs 20 and 42 vs 38).
     */
    static final int SKINNY = 32;
    /** ... and at least this deep, so a dot product fills several vectors. */
    static final int SKINNY_MIN_K = 64;

    private CpuGemm() {
    }

    static void gemm(Parallel parallel, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        DType dtype = Checks.sameDType(OP, a, b, c);
        if (a.rank() < 2 || b.rank() < 2 || c.rank() < 2) {
            throw new IllegalArgumentException(OP + ": operands need rank >= 2, got " + Checks.describe(a, b, c));
        }
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (b.dim(-2) != k || c.dim(-2) != m || c.dim(-1) != n) {
            throw new IllegalArgumentException(OP + ": shapes do not chain as [.., M, K]·[.., K, N] -> [.., M, N]: "
                    + Checks.describe(a, b, c));
        }
        int[] batch = Arrays.copyOf(c.shape(), c.rank() - 2);
        long[] as = batchStrides("a", a, batch, c), bs = batchStrides("b", b, batch, c);
        long[] cs = Arrays.copyOf(c.strides(), batch.length);
        long batches = Shapes.numel(batch);
        if (m == 0 || n == 0 || batches == 0) {
            return;
        }
        GemmMatrix a0 = new GemmMatrix(a.segment(), a.offset(), a.stride(-2), a.stride(-1));
        GemmMatrix b0 = new GemmMatrix(b.segment(), b.offset(), b.stride(-2), b.stride(-1));
        GemmMatrix c0 = new GemmMatrix(c.segment(), c.offset(), c.stride(-2), c.stride(-1));
        int count = Math.toIntExact(batches);
        boolean wholeMembers = count > 1 && count >= parallel.threads()
                && (count >= 4 * parallel.threads() || (long) m * n * k < SMALL_PRODUCT);
        Parallel inner = wholeMembers ? SERIAL : parallel;
        if (wholeMembers) {
            parallel.forEach(count, i -> one(inner, dtype, m, n, k, alpha, shift(a0, as, batch, i), shift(b0, bs, batch, i),
                    beta, shift(c0, cs, batch, i)));
        } else {
            for (int i = 0; i < count; i++) {
                one(inner, dtype, m, n, k, alpha, shift(a0, as, batch, i), shift(b0, bs, batch, i), beta,
                        shift(c0, cs, batch, i));
            }
        }
    }

    /** Strides of x's batch axes aligned to c's batch axes, 0 where x broadcasts; an error names the shapes. */
    private static long[] batchStrides(String name, Tensor x, int[] batch, Tensor c) {
        int lead = x.rank() - 2;
        if (lead > batch.length) {
            throw new IllegalArgumentException(OP + ": batch axes of " + name + " do not broadcast to the output's: "
                    + Arrays.toString(x.shape()) + " vs " + Arrays.toString(c.shape()));
        }
        long[] st = new long[batch.length];
        for (int d = 0; d < lead; d++) {
            int to = batch.length - lead + d;
            if (x.dim(d) == batch[to]) {
                st[to] = x.stride(d);
            } else if (x.dim(d) != 1) {
                throw new IllegalArgumentException(OP + ": batch axes of " + name + " do not broadcast to the output's: "
                        + Arrays.toString(x.shape()) + " vs " + Arrays.toString(c.shape()));
            }
        }
        return st;
    }

    /** Batch member {@code index} (row-major over {@code batch}) of a matrix whose batch strides are {@code st}. */
    private static GemmMatrix shift(GemmMatrix x, long[] st, int[] batch, long index) {
        long off = x.offset();
        for (int d = batch.length - 1; d >= 0; d--) {
            off += (index % batch[d]) * st[d];
            index /= batch[d];
        }
        return new GemmMatrix(x.segment(), off, x.rowStride(), x.colStride());
    }

    /** One matrix product, in whichever orientation {@link GemmCost} prices lower. */
    private static void one(Parallel parallel, DType dtype, int m, int n, int k, double alpha, GemmMatrix a,
            GemmMatrix b, double beta, GemmMatrix c) {
        if (k == 0) {
            scale(dtype, m, n, beta, c);
            return;
        }
        if ((long) m * n * k < PARALLEL_MIN_PRODUCT) {
            parallel = SERIAL;
        }
        if (a.colStride() == 1 && b.rowStride() == 1 && Math.min(m, n) <= SKINNY && k >= SKINNY_MIN_K) {
            // The narrow side becomes the columns, re-read from cache; the wide one streams once.
            if (m < n) {
                dot(parallel, dtype, n, m, k, alpha, b.transposed(), a.transposed(), beta, c.transposed());
            } else {
                dot(parallel, dtype, m, n, k, alpha, a, b, beta, c);
            }
            return;
        }
        GemmCost shape = dtype == DType.F32 ? GemmCost.F32 : GemmCost.F64;
        if (shape.preferTransposed(m, n, k, a, b, c)) {
            run(parallel, dtype, n, m, k, alpha, b.transposed(), a.transposed(), beta, c.transposed());
        } else {
            run(parallel, dtype, m, n, k, alpha, a, b, beta, c);
        }
    }

    private static void run(Parallel parallel, DType dtype, int m, int n, int k, double alpha, GemmMatrix a,
            GemmMatrix b, double beta, GemmMatrix c) {
        switch (dtype) {
            case F32 -> GemmBlockedF32.gemm(parallel, m, n, k, alpha, a, b, beta, c);
            case F64 -> GemmBlockedF64.gemm(parallel, m, n, k, alpha, a, b, beta, c);
        }
    }

    private static void dot(Parallel parallel, DType dtype, int m, int n, int k, double alpha, GemmMatrix a,
            GemmMatrix b, double beta, GemmMatrix c) {
        switch (dtype) {
            case F32 -> GemmDotF32.gemm(parallel, m, n, k, alpha, a, b, beta, c);
            case F64 -> GemmDotF64.gemm(parallel, m, n, k, alpha, a, b, beta, c);
        }
    }

    /** c = beta·c (K = 0: the product is empty); beta = 0 writes zeros whatever c held. */
    private static void scale(DType dtype, int m, int n, double beta, GemmMatrix c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long at = c.at(i, j);
                dtype.set(c.segment(), at, beta == 0 ? 0 : beta * dtype.get(c.segment(), at));
            }
        }
    }
}
