package optlab.tensor.autodiff.ops;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * y [..., M, N] = a [..., M, K] · b [..., K, N], batch axes broadcasting. ∂a = g·bᵀ and ∂b = aᵀ·g,
 * each one GEMM on transposed views. When b is a plain matrix shared by a batch of a (a linear
 * layer on [B, T, C]), ∂b is one GEMM over the flattened batch instead of a batched product summed
 * afterwards.
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
            if (b.rank() == 2 && a.rank() > 2) {
                Tensor a2 = ctx.contiguous(a).reshape(-1, a.dim(-1));
                Tensor g2 = ctx.contiguous(g).reshape(-1, g.dim(-1));
                gb = ctx.empty(b.dtype(), b.shape());
                ctx.backend().gemm(1, a2.mT(), g2, 0, gb);
            } else {
                gb = ctx.empty(b.dtype(), with(batch, b.dim(-2), b.dim(-1)));
                ctx.backend().gemm(1, a.mT(), g, 0, gb);
            }
        }
        return new Tensor[] {ga, gb};
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
