package optlab.tensor.cpu;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * The iteration space of an elementwise op: out's elements in row-major order, with every input
 * broadcast to out's shape. Axes of size 1 are dropped and neighbouring axes that are contiguous in
 * every operand are merged, so a contiguous tensor becomes one flat row and [n,1]+[1,m] stays two
 * axes. The work is then a sequence of rows (the innermost axis) handed to a {@link Row} body,
 * split over threads in chunks of whole or partial rows when the tensor is big enough.
 * Operand 0 is out, operands 1.. are the inputs in the order given.
 */
final class ElementwiseLoop {
    /** Below this many elements, one thread does it all: a fan-out costs more than it saves. */
    static final long PARALLEL_MIN = 1 << 15;
    /** Smallest chunk handed to a thread (elements). */
    private static final long CHUNK_MIN = 1 << 14;
    /** Largest chunk, so a row length always fits an int. */
    private static final long CHUNK_MAX = 1 << 22;

    /** A run of {@code n} consecutive elements of one row. */
    @FunctionalInterface
    interface Row {
        /**
         * {@code offsets[i]} is operand i's element offset at the run's start and {@code strides[i]}
         * its step along the row (0 for a broadcast input). The arrays are reused: read, don't keep.
         */
        void run(long[] offsets, long[] strides, int n);
    }

    private final long[] shape;       // collapsed sizes, outermost first; the last axis is the row
    private final long[][] strides;   // [operand][axis], in elements
    private final long[] offsets;     // [operand]
    private final long numel;

    private ElementwiseLoop(long[] shape, long[][] strides, long[] offsets, long numel) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
        this.numel = numel;
    }

    /** The loop over out with each input broadcast to out's shape (shapes must already be checked). */
    static ElementwiseLoop of(Tensor out, Tensor... inputs) {
        int[] outShape = out.shape();
        int operands = inputs.length + 1;
        long[][] st = new long[operands][];
        long[] off = new long[operands];
        st[0] = out.strides();
        off[0] = out.offset();
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i].sameShape(out) ? inputs[i] : inputs[i].broadcastTo(outShape);
            st[i + 1] = t.strides();
            off[i + 1] = t.offset();
        }
        return collapse(outShape, st, off, out.numel());
    }

    /** Drops size-1 axes and merges axis d into d+1 where stride[d] == stride[d+1]·size[d+1] for all operands. */
    private static ElementwiseLoop collapse(int[] outShape, long[][] st, long[] off, long numel) {
        int operands = st.length;
        long[] shape = new long[Math.max(outShape.length, 1)];
        long[][] strides = new long[operands][shape.length];
        int rank = 0; // axes kept so far, stored innermost-first and reversed below
        for (int d = outShape.length - 1; d >= 0; d--) {
            if (outShape[d] == 1) {
                continue;
            }
            if (rank > 0 && mergeable(st, d, strides, rank - 1, shape[rank - 1])) {
                shape[rank - 1] *= outShape[d];
                continue;
            }
            shape[rank] = outShape[d];
            for (int i = 0; i < operands; i++) {
                strides[i][rank] = st[i][d];
            }
            rank++;
        }
        if (rank == 0) { // a single element (or rank 0): one row of length 1
            shape[0] = 1;
            for (int i = 0; i < operands; i++) {
                strides[i][0] = 1;
            }
            rank = 1;
        }
        long[] s = new long[rank];
        long[][] t = new long[operands][rank];
        for (int a = 0; a < rank; a++) {
            s[a] = shape[rank - 1 - a];
            for (int i = 0; i < operands; i++) {
                t[i][a] = strides[i][rank - 1 - a];
            }
        }
        return new ElementwiseLoop(s, t, off, numel);
    }

    private static boolean mergeable(long[][] st, int d, long[][] kept, int k, long keptSize) {
        for (int i = 0; i < st.length; i++) {
            if (st[i][d] != kept[i][k] * keptSize) {
                return false;
            }
        }
        return true;
    }

    long numel() {
        return numel;
    }

    /**
     * Whether this is a two-operand loop (out, in) that transposes: out has unit stride along the
     * row while in is strided there (not broadcast) and has unit stride along the axis before.
     */
    boolean transposes() {
        int r = shape.length;
        return offsets.length == 2 && r >= 2 && strides[0][r - 1] == 1 && strides[1][r - 2] == 1
                && strides[1][r - 1] != 1 && strides[1][r - 1] != 0;
    }

    /** Collapsed sizes, outermost first (the array itself: read, don't modify). */
    long[] shape() {
        return shape;
    }

    /** Operand i's collapsed strides in elements (the array itself: read, don't modify). */
    long[] strides(int operand) {
        return strides[operand];
    }

    /** Operand i's element offset. */
    long offset(int operand) {
        return offsets[operand];
    }

    /** Collapsed rank (1 for a contiguous tensor); for tests and diagnostics. */
    int rank() {
        return shape.length;
    }

    /** Runs {@code body} over every element, in parallel chunks when there are at least {@link #PARALLEL_MIN}. */
    void run(Parallel parallel, Row body) {
        if (numel == 0) {
            return;
        }
        if (numel < PARALLEL_MIN || parallel.threads() == 1) {
            if (numel <= CHUNK_MAX) {
                runRange(0, numel, body);
                return;
            }
        }
        long target = Math.ceilDiv(numel, 4L * parallel.threads()); // a few chunks per thread balance load
        long chunk = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, target));
        int chunks = Math.toIntExact(Math.ceilDiv(numel, chunk));
        parallel.forEach(chunks, c -> runRange(c * chunk, Math.min(numel, (c + 1) * chunk), body));
    }

    /** Elements [start, end) in row-major order: the partial row at each end, whole rows between. */
    private void runRange(long start, long end, Row body) {
        int rank = shape.length, operands = offsets.length;
        long rowLen = shape[rank - 1];
        long[] inner = new long[operands];
        long[] base = offsets.clone(); // operand offsets at the current row's first element
        long[] at = new long[operands];
        long[] index = new long[rank - 1]; // outer multi-index of the current row
        long row = start / rowLen, col = start % rowLen;
        for (int d = rank - 2; d >= 0; d--) {
            index[d] = row % shape[d];
            row /= shape[d];
        }
        for (int i = 0; i < operands; i++) {
            inner[i] = strides[i][rank - 1];
            for (int d = 0; d < rank - 1; d++) {
                base[i] += index[d] * strides[i][d];
            }
        }
        for (long pos = start; pos < end; ) {
            int n = (int) Math.min(rowLen - col, end - pos);
            for (int i = 0; i < operands; i++) {
                at[i] = base[i] + col * inner[i];
            }
            body.run(at, inner, n);
            pos += n;
            col = 0;
            nextRow(index, base);
        }
    }

    /** Advances the outer multi-index by one row (odometer), keeping the row offsets in step. */
    private void nextRow(long[] index, long[] base) {
        for (int d = index.length - 1; d >= 0; d--) {
            index[d]++;
            for (int i = 0; i < base.length; i++) {
                base[i] += strides[i][d];
            }
            if (index[d] < shape[d]) {
                return;
            }
            for (int i = 0; i < base.length; i++) {
                base[i] -= strides[i][d] * shape[d];
            }
            index[d] = 0;
        }
    }

    @Override
    public String toString() {
        return "ElementwiseLoop" + Arrays.toString(shape);
    }
}
