package optlab.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, row-major strides, NumPy broadcasting, reshape inference. */
public final class Shapes {
    private Shapes() {
    }

    public static void check(int[] shape) {
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
        }
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    public static long[] contiguousStrides(int[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return st;
    }

    /** The broadcast of two shapes (NumPy rules), or an error naming both. */
    public static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int x = i < r - a.length ? 1 : a[i - (r - a.length)];
            int y = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** Strides that view {@code shape}/{@code strides} as {@code target}, 0 on repeated axes. */
    static long[] broadcastStrides(int[] shape, long[] strides, int[] target) {
        if (target.length < shape.length) {
            throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(shape) + " to lower rank "
                    + Arrays.toString(target));
        }
        long[] st = new long[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (i < lead) {
                st[i] = 0;
                continue;
            }
            int s = shape[i - lead];
            if (s == target[i]) {
                st[i] = strides[i - lead];
            } else if (s == 1) {
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(shape) + " to "
                        + Arrays.toString(target));
            }
        }
        return st;
    }

    static int[] inferReshape(int[] from, int[] to) {
        long n = numel(from);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape " + Arrays.toString(to) + " has more than one -1");
                }
                infer = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException("negative size in reshape " + Arrays.toString(to));
            } else {
                known *= to[i];
            }
        }
        int[] out = to.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(from) + " to " + Arrays.toString(to));
            }
            out[infer] = (int) (n / known);
        }
        if (numel(out) != n) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(from) + " (" + n + " elements) to "
                    + Arrays.toString(to));
        }
        return out;
    }

    static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    static long[] remove(long[] a, int i) {
        long[] r = new long[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    static int[] insert(int[] a, int i, int v) {
        int[] r = new int[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }

    static long[] insert(long[] a, int i, long v) {
        long[] r = new long[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }
}
