package optlab.models.zoo;

import java.util.ArrayList;
import java.util.List;
import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.models.layers.ClassificationHead;
import optlab.models.layers.LayerNorm;
import optlab.models.layers.PatchEmbedding;
import optlab.models.layers.Sequential;
import optlab.models.layers.TransformerBlock;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Vision transformer with timm's VisionTransformer keys: cls_token [1, 1, E], pos_embed [1, 1 + P, E],
 * patch_embed.proj.{weight, bias}, blocks.{i}.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2},
 * norm, head. Images [B, C, S, S] → patch tokens with class token and position embedding → depth
 * pre-norm blocks → final LayerNorm → head on the class token. LayerNorm eps is 1e-6 as in timm.
 */
public final class VisionTransformer extends Module {
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final PatchEmbedding patchEmbed;
    private final Sequential blocks;
    private final LayerNorm norm;
    private final ClassificationHead head;

    public VisionTransformer(int channels, int image, int patch, int dim, int depth, int heads, double mlpRatio,
            int classes) {
        PatchEmbedding pe = new PatchEmbedding(channels, image, patch, dim);
        // Declaration order fixes the state_dict order: timm lists cls_token, pos_embed, then patch_embed.
        clsToken = parameter("cls_token", Role.EMBEDDING, dim, 1, 1, dim);
        posEmbed = parameter("pos_embed", Role.EMBEDDING, dim, 1, 1 + pe.numPatches(), dim);
        patchEmbed = child("patch_embed", pe);
        List<TransformerBlock> bs = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            bs.add(new TransformerBlock(dim, heads, mlpRatio, 1e-6));
        }
        blocks = child("blocks", new Sequential(bs));
        norm = child("norm", new LayerNorm(dim, 1e-6));
        head = child("head", new ClassificationHead(dim, classes, ClassificationHead.Pooling.CLASS_TOKEN));
    }

    /** Logits [B, classes] from images [B, C, S, S]. */
    @Override
    public Variable forward(Graph g, Variable x) {
        Variable t = patchEmbed.tokens(g, x, clsToken, posEmbed);
        return head.forward(g, norm.forward(g, blocks.forward(g, t)));
    }

    @Override
    public String toString() {
        return "VisionTransformer(" + blocks.size() + " blocks)";
    }
}
