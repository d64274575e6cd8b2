package optlab.tensor.cpu;

/**
 * A rough price, in cycles, of one blocked GEMM with given tile and block sizes, used to choose
 * between c = a·b and cᵀ = bᵀ·aᵀ. The kernel wants A rows, B rows and C rows contiguous: packing
 * a transposed operand or merging into a transposed C goes element by element, and padding a
 * short edge to a whole tile wastes multiply-adds. Either orientation gives the same result.
 */
record GemmCost(int mr, int nr, int kc, int nc, int lanes) {
    static final GemmCost F32 = new GemmCost(GemmKernelF32.MR, GemmKernelF32.NR, GemmKernelF32.KC,
            GemmBlockedF32.NC, GemmKernelF32.L);
    static final GemmCost F64 = new GemmCost(GemmKernelF64.MR, GemmKernelF64.NR, GemmKernelF64.KC,
            GemmBlockedF64.NC, GemmKernelF64.L);

    /** Cycles per element copied by a vector or bulk copy, and element by element. */
    private static final double CONTIGUOUS = 0.25, SCATTERED = 2;

    boolean preferTransposed(int m, int n, int k, GemmMatrix a, GemmMatrix b, GemmMatrix c) {
        return price(n, m, k, b.rowStride() == 1, a.rowStride() == 1, c.rowStride() == 1)
                < price(m, n, k, a.colStride() == 1, b.colStride() == 1, c.colStride() == 1);
    }

    double price(int m, int n, int k, boolean aRows, boolean bRows, boolean cRows) {
        double compute = roundUp(m, mr) * (double) paddedColumns(n) * k / lanes;
        double packA = (double) m * k * ceil(n, nc) * (aRows ? CONTIGUOUS : SCATTERED);
        double packB = (double) k * n * (bRows ? CONTIGUOUS : SCATTERED);
        double mergeC = (double) m * n * ceil(k, kc) * (cRows ? CONTIGUOUS : SCATTERED);
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
