package optlab.tensor.cpu;

import optlab.tensor.Tensor;

/**
 * The 1-D runs ("fibers") along one axis of up to three same-shape tensors: the unit of work of
 * softmax, its backward rules and cross-entropy. A fiber is contiguous when every tensor has
 * stride 1 along the axis; the other axes are walked by an {@link Odometer}.
 */
final class Fibers {
    /** Number of fibers, and elements per fiber. */
    final long count;
    final long len;
    /** Strides along the axis of the first, second and third tensor (0 for an absent one). */
    final long stride0, stride1, stride2;
    final boolean contiguous;
    private final long[] dims, st0, st1, st2;
    private final long off0, off1, off2;

    /** What to do with one fiber, given its start offsets; returns a contribution to a sum (or 0). */
    @FunctionalInterface
    interface Body {
        double run(long fiber, long o0, long o1, long o2);
    }

    private Fibers(int axis, Tensor t0, Tensor t1, Tensor t2) {
        int[] shape = t0.shape();
        int r = shape.length;
        len = shape[axis];
        dims = new long[r - 1];
        st0 = new long[r - 1];
        st1 = new long[r - 1];
        st2 = new long[r - 1];
        long n = 1;
        for (int d = 0, j = 0; d < r; d++) {
            if (d == axis) {
                continue;
            }
            dims[j] = shape[d];
            st0[j] = t0.stride(d);
            st1[j] = t1 == null ? 0 : t1.stride(d);
            st2[j] = t2 == null ? 0 : t2.stride(d);
            n *= shape[d];
            j++;
        }
        count = n;
        stride0 = t0.stride(axis);
        stride1 = t1 == null ? 1 : t1.stride(axis);
        stride2 = t2 == null ? 1 : t2.stride(axis);
        contiguous = len <= 1 || (stride0 == 1 && stride1 == 1 && stride2 == 1);
        off0 = t0.offset();
        off1 = t1 == null ? 0 : t1.offset();
        off2 = t2 == null ? 0 : t2.offset();
    }

    /** Fibers along {@code axis} (normalized) of t0 and the optional t1, t2 (same shape as t0). */
    static Fibers along(int axis, Tensor t0, Tensor t1, Tensor t2) {
        return new Fibers(axis, t0, t1, t2);
    }

    /**
     * Runs body over every fiber, split over threads in contiguous ranges of at least
     * {@link CpuReduce#GRAIN} elements, and returns the sum of what it returned (tasks' sums added
     * in order).
     */
    double run(Parallel parallel, Body body) {
        long work = count * Math.max(1, len);
        int tasks = (int) Math.max(1, Math.min(count, Math.min(work / CpuReduce.GRAIN, 4L * parallel.threads())));
        double[] sums = new double[tasks];
        parallel.forEach(tasks, t -> {
            long f0 = count * t / tasks, f1 = count * (t + 1) / tasks;
            Odometer o = new Odometer(dims, st0, st1, st2);
            o.seek(f0);
            double s = 0;
            for (long f = f0; f < f1; f++, o.next()) {
                s += body.run(f, off0 + o.off0, off1 + o.off1, off2 + o.off2);
            }
            sums[t] = s;
        });
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        return total;
    }
}
