package optlab.tensor.autodiff.ops;

import java.util.Arrays;
import optlab.tensor.Tensor;

/** y = inputs joined along one axis (other axes equal); ∂ of each input is its slice of g (a view). */
public final class Concat implements Primitive {
    private final int axis;

    public Concat(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "concat";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        int a = in[0].axis(axis);
        int[] shape = in[0].shape();
        shape[a] = 0;
        for (Tensor t : in) {
            int[] s = t.shape();
            if (s.length == shape.length) {
                s[a] = 0;
            }
            if (!Arrays.equals(s, shape)) {
                throw new IllegalArgumentException("concat along axis " + axis + ": shapes "
                        + Arrays.toString(in[0].shape()) + " and " + Arrays.toString(t.shape()) + " differ off that axis");
            }
        }
        for (Tensor t : in) {
            shape[a] += t.dim(a);
        }
        Tensor out = ctx.empty(in[0].dtype(), shape);
        int at = 0;
        for (Tensor t : in) {
            ctx.backend().copy(t, out.slice(a, at, at + t.dim(a)));
            at += t.dim(a);
        }
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        int a = in[0].axis(axis);
        Tensor[] grads = new Tensor[in.length];
        int at = 0;
        for (int i = 0; i < in.length; i++) {
            grads[i] = g.slice(a, at, at + in[i].dim(a));
            at += in[i].dim(a);
        }
        return grads;
    }
}
