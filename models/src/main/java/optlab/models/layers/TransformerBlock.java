package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Pre-norm transformer block, timm's ViT Block: x + attn(norm1(x)), then x + mlp(norm2(x)), on
 * x [B, T, E]. Keys: norm1.*, attn.qkv.*, attn.proj.*, norm2.*, mlp.fc1.*, mlp.fc2.*.
 */
public final class TransformerBlock extends Module {
    private final LayerNorm norm1;
    private final MultiHeadSelfAttention attn;
    private final LayerNorm norm2;
    private final FeedForward mlp;

    /** With LayerNorm eps {@code eps} (timm's ViT: 1e-6) and MLP hidden size round(dim·mlpRatio). */
    public TransformerBlock(int dim, int heads, double mlpRatio, double eps) {
        if (!(mlpRatio > 0)) {
            throw new IllegalArgumentException("TransformerBlock: mlp ratio must be > 0, got " + mlpRatio);
        }
        norm1 = child("norm1", new LayerNorm(dim, eps));
        attn = child("attn", new MultiHeadSelfAttention(dim, heads));
        norm2 = child("norm2", new LayerNorm(dim, eps));
        mlp = child("mlp", new FeedForward(dim, Math.max(1, (int) Math.round(dim * mlpRatio))));
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        x = g.add(x, attn.forward(g, norm1.forward(g, x)));
        return g.add(x, mlp.forward(g, norm2.forward(g, x)));
    }
}
