package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;

/**
 * y = x[start:end:step] along one axis, a view. ∂x is zero except on the sliced positions, which
 * receive g.
 */
public final class Slice implements Primitive {
    private final int axis;
    private final int start;
    private final int end;
    private final int step;

    public Slice(int axis, int start, int end, int step) {
        this.axis = axis;
        this.start = start;
        this.end = end;
        this.step = step;
    }

    @Override
    public String name() {
        return "slice";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return in[0].slice(axis, start, end, step);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor gx = ctx.zeros(g.dtype(), in[0].shape());
        ctx.backend().copy(g, gx.slice(axis, start, end, step));
        return new Tensor[] {gx};
    }
}
