package optlab.tensor.cpu;

/**
 * Walks a multi-index over {@code dims} in row-major order, keeping up to three element offsets in
 * step (one per operand's strides), so strided loops advance by additions instead of div/mod.
 * With no dims it visits exactly one position.
 */
final class Odometer {
    private final long[] dims;
    private final long[] s0;
    private final long[] s1;
    private final long[] s2;
    private final long[] idx;
    /** Offsets of the current position for the first, second and third stride sets. */
    long off0, off1, off2;

    Odometer(long[] dims, long[] s0, long[] s1, long[] s2) {
        this.dims = dims;
        this.s0 = s0;
        this.s1 = s1 == null ? new long[dims.length] : s1;
        this.s2 = s2 == null ? new long[dims.length] : s2;
        this.idx = new long[dims.length];
    }

    Odometer(long[] dims, long[] s0) {
        this(dims, s0, null, null);
    }

    /** Positions count: the product of dims. */
    long size() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Moves to the {@code flat}-th position in row-major order. */
    void seek(long flat) {
        off0 = off1 = off2 = 0;
        for (int d = dims.length - 1; d >= 0; d--) {
            long i = dims[d] == 0 ? 0 : flat % dims[d];
            flat = dims[d] == 0 ? 0 : flat / dims[d];
            idx[d] = i;
            off0 += i * s0[d];
            off1 += i * s1[d];
            off2 += i * s2[d];
        }
    }

    /** Advances one position (wrapping to the start after the last). */
    void next() {
        for (int d = dims.length - 1; d >= 0; d--) {
            off0 += s0[d];
            off1 += s1[d];
            off2 += s2[d];
            if (++idx[d] < dims[d]) {
                return;
            }
            off0 -= s0[d] * dims[d];
            off1 -= s1[d] * dims[d];
            off2 -= s2[d] * dims[d];
            idx[d] = 0;
        }
    }
}
