package optlab.models.layers;

import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Functions;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * Pools features to one vector per example and maps it to class logits [N, classes] with weight
 * [classes, in] and bias [classes] (a Linear's keys, so it reads "fc.weight" in ResNet and
 * "head.weight" in ViT). Pooling: the class token x[:, 0] of tokens [N, T, E] (ViT), the mean over
 * the spatial axes of [N, C, H, W] (ResNet's adaptive average pool to 1×1), or none for [N, in].
 */
public final class ClassificationHead extends Module {
    /** How features are reduced to [N, in] before the linear map. */
    public enum Pooling {
        NONE, CLASS_TOKEN, GLOBAL_AVERAGE
    }

    private final int in;
    private final int classes;
    private final Pooling pooling;
    private final Parameter weight;
    private final Parameter bias;
    private final OutputMultiplier multiplier = new OutputMultiplier("ClassificationHead");

    public ClassificationHead(int in, int classes, Pooling pooling) {
        Shapes.positive("ClassificationHead", "in_features", in);
        Shapes.positive("ClassificationHead", "classes", classes);
        this.in = in;
        this.classes = classes;
        this.pooling = java.util.Objects.requireNonNull(pooling, "pooling");
        weight = parameter("weight", Role.WEIGHT, in, classes, in);
        bias = parameter("bias", Role.BIAS, in, classes);
    }

    @Override
    public Variable forward(Graph g, Variable x) {
        Variable pooled = switch (pooling) {
            case NONE -> {
                Shapes.rank(this, x, 2);
                yield x;
            }
            case CLASS_TOKEN -> {
                Shapes.rank(this, x, 3);
                yield g.reshape(g.slice(x, 1, 0, 1), x.value().dim(0), x.value().dim(2));
            }
            case GLOBAL_AVERAGE -> {
                Shapes.rank(this, x, 4);
                yield g.mean(x, false, 2, 3);
            }
        };
        Shapes.dim(this, pooled, 1, in, "features");
        return multiplier.apply(g, Functions.linear(g, pooled, weight.variable(), bias.variable()));
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    /** The forward multiplier m (1 unless a parameterization set it). */
    public double multiplier() {
        return multiplier.value();
    }

    /** Sets the forward multiplier m (finite, &gt; 0); part of the layer's definition, not a parameter. */
    public ClassificationHead setMultiplier(double m) {
        multiplier.set(m);
        return this;
    }

    @Override
    public String toString() {
        return "ClassificationHead(in=" + in + ", classes=" + classes + ", pooling=" + pooling + multiplier.describe() + ")";
    }
}
