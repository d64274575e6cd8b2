package optlab.models.layers;

import optlab.models.Module;
import optlab.models.Parameter;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Images to tokens with a class token and learned position embedding, as timm's ViT front end:
 * "proj" = Conv2d(C, E, kernel = stride = patch) turns x [B, C, S, S] into P = (S/patch)² patch
 * tokens [B, P, E]; a learned "cls_token" [1, 1, E] is prepended and "pos_embed" [1, 1 + P, E] added,
 * giving [B, 1 + P, E] ({@link #tokens}). The two embeddings are parameters of the module that owns
 * this one, because timm keeps them on the model root ("cls_token", "pos_embed") and the conv under
 * "patch_embed.proj"; keeping those keys lets weights move to and from timm unchanged.
 */
public final class PatchEmbedding extends Module {
    private final int channels;
    private final int image;
    private final int patch;
    private final int dim;
    private final Conv2d proj;

    public PatchEmbedding(int channels, int image, int patch, int dim) {
        Shapes.positive("PatchEmbedding", "patch", patch);
        if (image % patch != 0) {
            throw new IllegalArgumentException("PatchEmbedding: image size " + image + " is not divisible by patch " + patch);
        }
        this.channels = channels;
        this.image = image;
        this.patch = patch;
        this.dim = dim;
        proj = child("proj", new Conv2d(channels, dim, patch, patch, 0, true));
    }

    /** Patch tokens [B, P, E] from x [B, C, S, S] (no class token, no position embedding). */
    @Override
    public Variable forward(Graph g, Variable x) {
        Shapes.rank(this, x, 4);
        Shapes.dim(this, x, 2, image, "height");
        Shapes.dim(this, x, 3, image, "width");
        Variable y = proj.forward(g, x);                                  // [B, E, S/p, S/p]
        int b = x.value().dim(0);
        return g.transpose(g.reshape(y, b, dim, numPatches()), 1, 2);     // [B, P, E]
    }

    /**
     * Tokens [B, 1 + P, E]: the class token (broadcast over the batch) followed by the patch tokens,
     * plus the position embedding. {@code cls} is [1, 1, E] and {@code pos} [1, 1 + P, E].
     */
    public Variable tokens(Graph g, Variable x, Parameter cls, Parameter pos) {
        Variable patches = forward(g, x);
        int b = x.value().dim(0);
        Variable c = g.expand(cls.variable(), b, 1, dim);
        return g.add(g.concat(1, c, patches), pos.variable());
    }

    public int numPatches() {
        return (image / patch) * (image / patch);
    }

    public int dim() {
        return dim;
    }

    @Override
    public String toString() {
        return "PatchEmbedding(" + channels + "x" + image + "x" + image + ", patch=" + patch + ", dim=" + dim + ")";
    }
}
