package optlab.tensor.cuda;

import java.util.Arrays;

/**
 * An elementwise iteration space with adjacent axes merged where every operand allows it (outer stride =
 * inner stride × inner size) and size-1 axes dropped, so contiguous operands become one axis with unit
 * stride and the kernels' index arithmetic shrinks to one multiply. Rank 0 becomes one axis of size 1.
 */
record Coalesced(long[] shape, long[][] strides) {

    static Coalesced of(int[] shape, long[]... strides) {
        int n = strides.length;
        long[] s = new long[Math.max(1, shape.length)];
        long[][] st = new long[n][s.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = rank > 0;
            for (int o = 0; merge && o < n; o++) {
                merge = st[o][rank - 1] == strides[o][d] * shape[d];
            }
            if (merge) {
                s[rank - 1] *= shape[d];
                for (int o = 0; o < n; o++) {
                    st[o][rank - 1] = strides[o][d];
                }
            } else {
                s[rank] = shape[d];
                for (int o = 0; o < n; o++) {
                    st[o][rank] = strides[o][d];
                }
                rank++;
            }
        }
        if (rank == 0) {
            s[0] = 1;
            rank = 1;
        }
        long[][] out = new long[n][];
        for (int o = 0; o < n; o++) {
            out[o] = Arrays.copyOf(st[o], rank);
        }
        return new Coalesced(Arrays.copyOf(s, rank), out);
    }

    int rank() {
        return shape.length;
    }
}
