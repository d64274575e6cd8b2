package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Multi-head self-attention with timm's ViT names (not nn.MultiheadAttention's): "qkv" = Linear(E, 3E)
 * (weight [3E, E], rows q, k, v, each head-major), "proj" = Linear(E, E). For x [B, T, E] with H heads
 * of D = E/H: q, k, v [B, H, T, D], A = softmax(q·kᵀ/√D) over keys, y = proj(concat_h(A·v)) [B, T, E].
 * No mask, no dropout.
 */
public final class MultiHeadSelfAttention extends Module {
    private final int dim;
    private final int heads;
    private final Linear qkv;
    private final Linear proj;

    public MultiHeadSelfAttention(int dim, int heads) {
        Shapes.positive("MultiHeadSelfAttention", "dim", dim);
        Shapes.positive("MultiHeadSelfAttention", "heads", heads);
        if (dim % heads != 0) {
            throw new IllegalArgumentException("MultiHeadSelfAttention: dim " + dim + " is not divisible by heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        qkv = child("qkv", new Linear(dim, 3 * dim));
        proj = child("proj", new Linear(dim, dim));
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 3);
        Shapes.dim(this, x, 2, dim, "embedding size");
        int b = x.value().dim(0), t = x.value().dim(1), d = dim / heads;
        Variable packed = g.reshape(qkv.forward(g, x), b, t, 3, heads, d);     // [B, T, 3, H, D]
        Variable q = g.mulScalar(part(g, packed, 0, b, t, d), 1 / Math.sqrt(d)); // [B, H, T, D]
        Variable k = part(g, packed, 1, b, t, d);
        Variable v = part(g, packed, 2, b, t, d);
        Variable attn = g.softmax(g.matmul(q, g.transpose(k, -2, -1)), -1);      // [B, H, T, T]
        Variable y = g.permute(g.matmul(attn, v), 0, 2, 1, 3);                    // [B, T, H, D]
        return proj.forward(g, g.reshape(y, b, t, dim));
    }

    /** The i-th of q, k, v from packed [B, T, 3, H, D], as [B, H, T, D]. */
    private Variable part(Graph g, Variable packed, int i, int b, int t, int d) {
        Variable s = g.reshape(g.slice(packed, 2, i, i + 1), b, t, heads, d);
        return g.permute(s, 0, 2, 1, 3);
    }

    public Linear qkv() {
        return qkv;
    }

    public Linear proj() {
        return proj;
    }

    @Override
    public String toString() {
        return "MultiHeadSelfAttention(dim=" + dim + ", heads=" + heads + ")";
    }
}
