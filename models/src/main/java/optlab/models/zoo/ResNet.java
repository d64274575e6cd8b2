package optlab.models.zoo;

import optlab.models.Module;
import optlab.models.layers.BasicBlock;
import optlab.models.layers.BatchNorm2d;
import optlab.models.layers.ClassificationHead;
import optlab.models.layers.Conv2d;
import optlab.models.layers.Sequential;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * ResNet with basic blocks and a CIFAR-size stem (3×3 conv, stride 1, no max pool), torchvision keys:
 * conv1.weight, bn1.*, layer{s}.{b}.conv1.weight ..., fc.weight, fc.bias. Stage s (from 1) has width
 * base·2^(s−1) and blocks[s−1] blocks; stages after the first start with stride 2. blocks = 2-2-2-2
 * with base 64 is ResNet-18 for 32×32 inputs (11.2M parameters at 10 classes). Switching batch norm
 * off removes every BN (convs get biases); switching the skip off removes every shortcut.
 */
public final class ResNet extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential[] stages;
    private final ClassificationHead fc;

    public ResNet(int channels, int[] blocks, int base, int classes, boolean batchNorm, boolean skip) {
        if (blocks.length < 1) {
            throw new IllegalArgumentException("ResNet: needs at least one stage");
        }
        conv1 = child("conv1", new Conv2d(channels, base, 3, 1, 1, !batchNorm));
        bn1 = batchNorm ? child("bn1", new BatchNorm2d(base)) : null;
        stages = new Sequential[blocks.length];
        int in = base;
        for (int s = 0; s < blocks.length; s++) {
            int out = base << s;
            BasicBlock[] bs = new BasicBlock[blocks[s]];
            for (int b = 0; b < bs.length; b++) {
                bs[b] = new BasicBlock(b == 0 ? in : out, out, b == 0 && s > 0 ? 2 : 1, batchNorm, skip);
            }
            stages[s] = child("layer" + (s + 1), new Sequential(bs));
            in = out;
        }
        fc = child("fc", new ClassificationHead(in, classes, ClassificationHead.Pooling.GLOBAL_AVERAGE));
    }

    /** Logits [N, classes] from images [N, C, H, W]. */
    @Override
    public Variable forward(Graph g, Variable x) {
        Variable y = conv1.forward(g, x);
        y = g.relu(bn1 == null ? y : bn1.forward(g, y));
        for (Sequential stage : stages) {
            y = stage.forward(g, y);
        }
        return fc.forward(g, y);
    }

    @Override
    public String toString() {
        return "ResNet(" + stages.length + " stages)";
    }
}
