package optlab.models.layers;

import optlab.models.Module;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * ResNet basic block as torchvision's: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), convs
 * 3×3 (the first with the block's stride), shortcut the identity or, when the shape changes,
 * "downsample" = 1×1 conv (stride) + BN. Two switches for path-geometry studies: without batch norm
 * the bn layers are absent and the convs get biases; without the skip there is no shortcut (and no
 * downsample). Keys follow torchvision: conv1.weight, bn1.*, conv2.weight, bn2.*, downsample.0.weight,
 * downsample.1.*.
 */
public final class BasicBlock extends Module {
    private final int in;
    private final int out;
    private final int stride;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final boolean skip;
    private final Sequential downsample;

    public BasicBlock(int in, int out, int stride, boolean batchNorm, boolean skip) {
        Shapes.positive("BasicBlock", "stride", stride);
        this.in = in;
        this.out = out;
        this.stride = stride;
        this.skip = skip;
        conv1 = child("conv1", new Conv2d(in, out, 3, stride, 1, !batchNorm));
        bn1 = batchNorm ? child("bn1", new BatchNorm2d(out)) : null;
        conv2 = child("conv2", new Conv2d(out, out, 3, 1, 1, !batchNorm));
        bn2 = batchNorm ? child("bn2", new BatchNorm2d(out)) : null;
        boolean reshape = stride != 1 || in != out;
        downsample = skip && reshape
                ? child("downsample", batchNorm
                        ? new Sequential(new Conv2d(in, out, 1, stride, 0, false), new BatchNorm2d(out))
                        : new Sequential(new Conv2d(in, out, 1, stride, 0, true)))
                : null;
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Variable y = conv1.forward(g, x);
        y = g.relu(bn1 == null ? y : bn1.forward(g, y));
        y = conv2.forward(g, y);
        y = bn2 == null ? y : bn2.forward(g, y);
        if (skip) {
            y = g.add(y, downsample == null ? x : downsample.forward(g, x));
        }
        return g.relu(y);
    }

    @Override
    public String toString() {
        return "BasicBlock(" + in + " -> " + out + ", stride=" + stride + ", bn=" + (bn1 != null) + ", skip=" + skip
                + ")";
    }
}
