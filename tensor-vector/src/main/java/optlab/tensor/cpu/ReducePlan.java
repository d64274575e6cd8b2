package optlab.tensor.cpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * A reduction's iteration space in canonical form: the kept axes (one output element per index)
 * and the reduced axes, each sorted by x stride (largest first), size-1 axes dropped and neighbours
 * that tile memory merged. So [N, C] → [N, 1] becomes one kept axis and one stride-1 reduced axis
 * (ROW), [N, C] → [1, C] a stride-1 kept axis (COLUMN), and [N, C, H, W] → [1, C, 1, 1] a kept C
 * with reduced N and a stride-1 H·W row (ROW). Up to two outputs share the kept axes (moments).
 */
final class ReducePlan {
    /** How the kernels walk memory. */
    enum Mode {
        /** The innermost reduced axis is contiguous: vector-accumulate along rows. */
        ROW,
        /** The innermost kept axis is contiguous: vector-add rows into an accumulator row. */
        COLUMN,
        /** Neither: scalar strided loop. */
        GENERIC
    }

    final DType dtype;
    final MemorySegment x;
    final long xOff;
    final MemorySegment out;
    final long outOff;
    final MemorySegment out2;
    final long out2Off;
    final long[] keptDims;
    final long[] keptX;
    final long[] keptOut;
    final long[] keptOut2;
    final long[] redDims;
    final long[] redX;
    /** Output elements and elements reduced into each. */
    final long outputs;
    final long count;
    final Mode mode;

    private ReducePlan(DType dtype, MemorySegment x, long xOff, MemorySegment out, long outOff, MemorySegment out2,
            long out2Off, long[][] kept, long[][] red) {
        this.dtype = dtype;
        this.x = x;
        this.xOff = xOff;
        this.out = out;
        this.outOff = outOff;
        this.out2 = out2;
        this.out2Off = out2Off;
        this.keptDims = column(kept, 0);
        this.keptX = column(kept, 1);
        this.keptOut = column(kept, 2);
        this.keptOut2 = column(kept, 3);
        this.redDims = column(red, 0);
        this.redX = column(red, 1);
        this.outputs = product(keptDims);
        this.count = product(redDims);
        int k = keptDims.length, r = redDims.length;
        if (r > 0 && redX[r - 1] == 1) {
            mode = Mode.ROW;
        } else if (k > 0 && keptX[k - 1] == 1) {
            mode = Mode.COLUMN;
        } else {
            mode = Mode.GENERIC;
        }
    }

    /**
     * The plan reducing x over the axes where out has size 1 (shapes already validated); out2, if
     * not null, has out's shape and receives a second result per output element.
     */
    static ReducePlan of(Tensor x, Tensor out, Tensor out2) {
        int[] xs = x.shape();
        long[] xst = x.strides(), ost = out.strides(), o2st = out2 == null ? new long[xs.length] : out2.strides();
        List<long[]> kept = new ArrayList<>(), red = new ArrayList<>();
        for (int d = 0; d < xs.length; d++) {
            if (xs[d] == 1) {
                continue;
            }
            if (out.dim(d) == 1) {
                red.add(new long[] {xs[d], xst[d]});
            } else {
                kept.add(new long[] {xs[d], xst[d], ost[d], o2st[d]});
            }
        }
        return new ReducePlan(x.dtype(), x.segment(), x.offset(), out.segment(), out.offset(),
                out2 == null ? null : out2.segment(), out2 == null ? 0 : out2.offset(), merge(kept), merge(red));
    }

    /** The same plan with reduced axis {@code axis} narrowed to [lo, hi): one slice of a split reduction. */
    ReducePlan narrowed(int axis, long lo, long hi) {
        long[][] kept = rows(keptDims, keptX, keptOut, keptOut2);
        long[][] red = rows(redDims, redX);
        red[axis][0] = hi - lo;
        return new ReducePlan(dtype, x, xOff + lo * redX[axis], out, outOff, out2, out2Off, kept, red);
    }

    /** Index of the longest reduced axis (where a reduction is split across threads). */
    int longestReduced() {
        int best = 0;
        for (int i = 1; i < redDims.length; i++) {
            if (redDims[i] > redDims[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Walks the kept axes: offsets into x, out and out2 (relative to their element [0, ...]). */
    Odometer kept() {
        return new Odometer(keptDims, keptX, keptOut, keptOut2);
    }

    /** Walks the kept axes except the innermost (COLUMN mode's rows of outputs). */
    Odometer keptOuter() {
        int k = keptDims.length - 1;
        return new Odometer(java.util.Arrays.copyOf(keptDims, k), java.util.Arrays.copyOf(keptX, k),
                java.util.Arrays.copyOf(keptOut, k), java.util.Arrays.copyOf(keptOut2, k));
    }

    /** Walks all reduced axes (x offsets). */
    Odometer reduced() {
        return new Odometer(redDims, redX);
    }

    /** Walks the reduced axes except the innermost (ROW mode's rows). */
    Odometer reducedOuter() {
        int r = redDims.length - 1;
        return new Odometer(java.util.Arrays.copyOf(redDims, r), java.util.Arrays.copyOf(redX, r));
    }

    /** Sorts axes by x stride, largest first, and merges neighbours whose strides tile each other. */
    private static long[][] merge(List<long[]> axes) {
        axes.sort(Comparator.comparingLong((long[] a) -> a[1]).reversed());
        List<long[]> merged = new ArrayList<>();
        for (long[] a : axes) {
            long[] prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && tiles(prev, a)) {
                prev[0] *= a[0];
                for (int j = 1; j < a.length; j++) {
                    prev[j] = a[j];
                }
            } else {
                merged.add(a.clone());
            }
        }
        return merged.toArray(new long[0][]);
    }

    /** True when every stride of {@code outer} equals the matching stride of {@code inner} times its size. */
    private static boolean tiles(long[] outer, long[] inner) {
        for (int j = 1; j < outer.length; j++) {
            if (outer[j] != inner[j] * inner[0]) {
                return false;
            }
        }
        return true;
    }

    private static long[] column(long[][] rows, int j) {
        long[] c = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i][j];
        }
        return c;
    }

    private static long[][] rows(long[]... columns) {
        long[][] r = new long[columns[0].length][columns.length];
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                r[i][j] = columns[j][i];
            }
        }
        return r;
    }

    private static long product(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
