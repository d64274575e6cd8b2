package optlab.tensor.autodiff.ops;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * y [..., M, N] = a [..., M, K] · b [..., K, N], batch axes broadcasting. ∂a = g·bᵀ and ∂b = aᵀ·g,
 * each one GEMM on transposed views. When b is a plain matrix shared by a batch of a (a linear
 * layer on [B, T, C]), ∂b is one GEMM over the flattened batch instead of a batched product summed
 * afterwards; when b is a transposed view (Wᵀ of a weight W [out, in]), ∂b is computed in W's layout.
 */
public final class MatMul implements Primitive {
    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        Tensor a = in[0], b = in[1];
        if (a.rank() < 2 || b.rank() < 2 || a.dim(-1) != b.dim(-2)) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " do not chain as [..., M, K]·[..., K, N]");
        }
        int[] batch = batchShape(a, b);
        Tensor out = ctx.empty(a.dtype(), with(batch, a.dim(-2), b.dim(-1)));
        ctx.backend().gemm(1, a, b, 0, out);
        return out;
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor a = in[0], b = in[1];
        int[] batch = batchShape(a, b);
        Tensor ga = null, gb = null;
        if (need[0]) {
            ga = ctx.empty(a.dtype(), with(batch, a.dim(-2), a.dim(-1)));
            ctx.backend().gemm(1, g, b.mT(), 0, ga);
        }
        if (need[1]) {
            // b stored transposed (a linear layer's Wᵀ view): compute ∂bᵀ = gᵀ·a in W's own layout,
            // so the parameter's gradient is accumulated contiguous-to-contiguous.
            boolean transposed = !b.isContiguous() && b.mT().isContiguous();
            if (b.rank() == 2 && a.rank() > 2) {
                Tensor a2 = ctx.contiguous(a).reshape(-1, a.dim(-1));
                Tensor g2 = ctx.contiguous(g).reshape(-1, g.dim(-1));
                gb = product(ctx, a2.mT(), g2, b.shape(), transposed);
            } else {
                gb = product(ctx, a.mT(), g, with(batch, b.dim(-2), b.dim(-1)), transposed);
            }
        }
        return new Tensor[] {ga, gb};
    }

    /** x·y into a new tensor of {@code shape}, or, when {@code transposed}, (yᵀ·xᵀ)ᵀ as a view. */
    private static Tensor product(OpContext ctx, Tensor x, Tensor y, int[] shape, boolean transposed) {
        if (!transposed) {
            Tensor out = ctx.empty(x.dtype(), shape);
            ctx.backend().gemm(1, x, y, 0, out);
            return out;
        }
        int r = shape.length;
        int[] swapped = shape.clone();
        swapped[r - 2] = shape[r - 1];
        swapped[r - 1] = shape[r - 2];
        Tensor outT = ctx.empty(x.dtype(), swapped);
        ctx.backend().gemm(1, y.mT(), x.mT(), 0, outT);
        return outT.mT();
    }

    private static int[] batchShape(Tensor a, Tensor b) {
        int[] sa = Arrays.copyOf(a.shape(), a.rank() - 2);
        int[] sb = Arrays.copyOf(b.shape(), b.rank() - 2);
        try {
            return optlab.tensor.Shapes.broadcast(sa, sb);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch axes of " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " do not broadcast", e);
        }
    }

    private static int[] with(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }
}
