package optlab.tensor.cpu;

/**
 * A rough price, in cycles, of one blocked GEMM, used to choose between c = a·b and cᵀ = bᵀ·aᵀ
 * (same result, different memory traffic). The kernel wants rows of A, B and C contiguous: a
 * column-major operand must be transposed while packed, a column-major C is merged element by
 * element, and an edge panel is padded to a whole tile (or to one vector, see
 * {@link GemmKernelF32#tileNarrow}). Per-element costs were measured on AVX-512 (Zen 4) with
 * operands streaming from DRAM; only their ratios matter.
 */
record GemmCost(int mr, int nr, int kc, int nc, int lanes) {
    static final GemmCost F32 = new GemmCost(GemmKernelF32.MR, GemmKernelF32.NR, GemmKernelF32.KC,
            GemmBlockedF32.NC, GemmKernelF32.L);
    static final GemmCost F64 = new GemmCost(GemmKernelF64.MR, GemmKernelF64.NR, GemmKernelF64.KC,
            GemmBlockedF64.NC, GemmKernelF64.L);

    /** Cycles per element packed from rows, packed by transposing, merged into C by vectors, and one by one. */
    private static final double PACK_ROWS = 1.5, PACK_TRANSPOSED = 3, MERGE_ROWS = 0.25, MERGE_SCATTERED = 6;

    boolean preferTransposed(int m, int n, int k, GemmMatrix a, GemmMatrix b, GemmMatrix c) {
        return price(n, m, k, b.rowStride() == 1, a.rowStride() == 1, c.rowStride() == 1)
                < price(m, n, k, a.colStride() == 1, b.colStride() == 1, c.colStride() == 1);
    }

    /** The price of m×n×k with A, B and C row-major (true) or not. */
    double price(int m, int n, int k, boolean aRows, boolean bRows, boolean cRows) {
        double compute = roundUp(m, mr) * (double) paddedColumns(n) * k / lanes;
        double packA = (double) m * k * ceil(n, nc) * (aRows ? PACK_ROWS : PACK_TRANSPOSED);
        double packB = (double) k * n * (bRows ? PACK_ROWS : PACK_TRANSPOSED);
        double mergeC = (double) m * n * ceil(k, kc) * (cRows ? MERGE_ROWS : MERGE_SCATTERED);
        return compute + packA + packB + mergeC;
    }

    /** Columns computed for n: whole NR panels, and an edge panel of one vector when it fits in one. */
    private long paddedColumns(int n) {
        int edge = n % nr;
        return (long) (n - edge) + (edge == 0 ? 0 : edge <= lanes ? lanes : nr);
    }

    private static long roundUp(int x, int to) {
        return ceil(x, to) * (long) to;
    }

    private static long ceil(int x, int to) {
        return (x + to - 1) / to;
    }
}
