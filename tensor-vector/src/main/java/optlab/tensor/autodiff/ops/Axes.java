package optlab.tensor.autodiff.ops;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * The axes a reduction runs over, normalized against an input: the kernels take a "keepdim" output
 * with size 1 on those axes; without keepdim the result is that output reshaped to drop them.
 */
public record Axes(int[] reduced, boolean keepdim) {

    /** {@code axes} of {@code x} (negative counts from the end; none means all), checked and sorted. */
    public static Axes of(String op, Tensor x, boolean keepdim, int... axes) {
        int r = x.rank();
        boolean[] on = new boolean[r];
        if (axes.length == 0) {
            Arrays.fill(on, true);
        }
        for (int a : axes) {
            int n = a < 0 ? a + r : a;
            if (n < 0 || n >= r || on[n]) {
                throw new IllegalArgumentException(op + ": axes " + Arrays.toString(axes) + " invalid for shape "
                        + Arrays.toString(x.shape()));
            }
            on[n] = true;
        }
        return new Axes(java.util.stream.IntStream.range(0, r).filter(i -> on[i]).toArray(), keepdim);
    }

    /** The input's shape with size 1 on the reduced axes. */
    public int[] keepShape(int[] in) {
        int[] s = in.clone();
        for (int a : reduced) {
            s[a] = 1;
        }
        return s;
    }

    /** The result's shape: {@link #keepShape} or that without the reduced axes. */
    public int[] outShape(int[] in) {
        if (keepdim) {
            return keepShape(in);
        }
        int[] s = new int[in.length - reduced.length];
        int j = 0;
        for (int i = 0, k = 0; i < in.length; i++) {
            if (k < reduced.length && reduced[k] == i) {
                k++;
            } else {
                s[j++] = in[i];
            }
        }
        return s;
    }

    /** Number of elements each output element reduces. */
    public long count(int[] in) {
        long n = 1;
        for (int a : reduced) {
            n *= in[a];
        }
        return n;
    }

    /** A gradient of the result's shape as a view broadcast back over the input's shape. */
    public Tensor spread(OpContext ctx, Tensor g, int[] in) {
        return ctx.contiguous(g).reshape(keepShape(in)).broadcastTo(in);
    }
}
