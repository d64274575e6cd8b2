package optlab.models.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import optlab.models.Model;
import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.layers.Activation;
import optlab.models.layers.AvgPool2d;
import optlab.models.layers.Conv2d;
import optlab.models.layers.DistanceLayer;
import optlab.models.layers.Dropout;
import optlab.models.layers.Flatten;
import optlab.models.layers.Linear;
import optlab.models.layers.MaxPool2d;
import optlab.models.layers.Sequential;
import optlab.tensor.Tensor;

/**
 * A model read as a chain of path layers: its module tree flattened (nested Sequentials opened) into
 * Linear and Conv2d layers with weights, pools, Flatten, and unit-wise maps that the |w|^p network
 * treats as the identity (ReLU, Dropout). Anything else is refused, naming the first offending module
 * and why. The hidden units between weighted layers (a Linear's outputs, a Conv2d's channels) are what
 * node rescaling acts on.
 */
public final class PathChain {
    /** What Path-SGD supports, for messages. */
    static final String SUPPORTED = "Path-SGD supports Sequential trees of Linear, Conv2d, ReLU, MaxPool2d, AvgPool2d,"
            + " Flatten and Dropout";

    /** One element of the chain. */
    sealed interface Step permits Dense, Conv, Pool, Flat {
    }

    /** A Linear layer: weight [out, in] and bias at element offsets of the block (bias −1: none). */
    record Dense(String name, Linear layer, long weight, long bias) implements Step {
    }

    /** A Conv2d layer: weight [out, in, k, k], bias [out]. */
    record Conv(String name, Conv2d layer, long weight, long bias) implements Step {
    }

    /** Max pooling (every window input is a path, weight 1) or average pooling (weights 1/k²). */
    record Pool(String name, boolean max, optlab.tensor.backend.Pool2dSpec spec) implements Step {
    }

    /** [N, C, H, W] → [N, C·H·W]. */
    record Flat(String name) implements Step {
    }

    private final Model model;
    private final List<Step> steps;

    private PathChain(Model model, List<Step> steps) {
        this.model = model;
        this.steps = List.copyOf(steps);
    }

    /** Reads the model as a chain, or fails naming the first module Path-SGD cannot handle and why. */
    public static PathChain of(Model model) {
        if (model.outputStage() != null) {
            throw new IllegalArgumentException("PathNetworks: the model has an output stage after its layers ("
                    + model.outputStage() + ", e.g. a parameterization's centering by a frozen copy), which the |w|^p"
                    + " network does not cover; " + SUPPORTED + " without an output stage");
        }
        List<Step> steps = new ArrayList<>();
        collect(model, model.root(), "", steps);
        if (steps.stream().noneMatch(s -> s instanceof Dense || s instanceof Conv)) {
            throw new IllegalArgumentException("PathNetworks: the model has no Linear or Conv2d layer: no paths to"
                    + " normalize by");
        }
        return new PathChain(model, steps);
    }

    List<Step> steps() {
        return steps;
    }

    Model model() {
        return model;
    }

    private static void collect(Model model, Module m, String prefix, List<Step> out) {
        String name = prefix.isEmpty() ? "(root)" : "'" + prefix.substring(0, prefix.length() - 1) + "'";
        switch (m) {
            case Sequential s -> {
                for (Map.Entry<String, Module> e : s.children().entrySet()) {
                    collect(model, e.getValue(), prefix + e.getKey() + ".", out);
                }
            }
            case Linear l -> out.add(new Dense(name, l, offset(model, prefix, "weight"),
                    l.bias() == null ? -1 : offset(model, prefix, "bias")));
            case Conv2d c -> out.add(new Conv(name, c, offset(model, prefix, "weight"),
                    c.bias() == null ? -1 : offset(model, prefix, "bias")));
            case MaxPool2d p -> out.add(new Pool(name, true, p.spec()));
            case AvgPool2d p -> out.add(new Pool(name, false, p.spec()));
            case Flatten f -> out.add(new Flat(name));
            case Dropout d -> {
                // Dropout rescales activations by a data-independent mask: the identity in the |w|^p network.
            }
            case Activation a when a.kind() == Activation.Kind.RELU -> {
                // ReLU is positively homogeneous: the identity in the |w|^p network.
            }
            default -> throw refusal(m, name);
        }
    }

    private static IllegalArgumentException refusal(Module m, String name) {
        String why = reason(m);
        String inside = "";
        if (!m.children().isEmpty()) {
            for (Module sub : m.modules()) {
                if (sub != m && sub.children().isEmpty() && !supportedLeaf(sub)) {
                    inside = " (it contains " + sub + ": " + reason(sub) + ")";
                    break;
                }
            }
        }
        return new IllegalArgumentException("PathNetworks: " + m + " at " + name + " is not supported: " + why + inside
                + ". " + SUPPORTED);
    }

    private static boolean supportedLeaf(Module m) {
        return m instanceof Linear || m instanceof Conv2d || m instanceof MaxPool2d || m instanceof AvgPool2d
                || m instanceof Flatten || m instanceof Dropout
                || (m instanceof Activation a && a.kind() == Activation.Kind.RELU);
    }

    private static String reason(Module m) {
        String kind = m.getClass().getSimpleName();
        if (m instanceof Activation) {
            return "only ReLU is positively homogeneous, so only ReLU units keep a fixed path weight under node"
                    + " rescaling";
        }
        if (m instanceof DistanceLayer) {
            return "a distance layer computes a Gaussian of weighted squared differences (x − c), not a weighted sum"
                    + " of its inputs, so it has no paths with weights";
        }
        if (kind.contains("Norm")) {
            return "normalization divides by statistics of the activations, so paths have no fixed weights";
        }
        if (kind.contains("Attention") || kind.contains("Transformer")) {
            return "attention multiplies activations together, so paths have no fixed weights";
        }
        if (!m.children().isEmpty()) {
            return "a composite module with its own forward (e.g. residual connections) is not a chain of layers";
        }
        return "it is not a layer the |w|^p network is defined for";
    }

    private static long offset(Model model, String prefix, String param) {
        return model.parameterBlock().offset(prefix + param);
    }

    // ------------------------------------------------------------------ hidden units

    /** The weighted layers (Linear, Conv2d) in order. */
    private List<Step> weighted() {
        return steps.stream().filter(s -> s instanceof Dense || s instanceof Conv).toList();
    }

    /** Hidden layers: the outputs of every weighted layer but the last. */
    public int hiddenLayers() {
        return weighted().size() - 1;
    }

    /** Units of hidden layer h: a Linear's outputs or a Conv2d's channels. */
    public int width(int h) {
        checkHidden(h);
        return switch (weighted().get(h)) {
            case Dense d -> d.layer().outFeatures();
            case Conv c -> c.layer().outChannels();
            default -> throw new AssertionError();
        };
    }

    /**
     * Multiplies hidden unit u of layer h's incoming weights and bias by c and its outgoing weights by
     * 1/c (c &gt; 0): the network computes the same function, since ReLU, max and average pooling commute
     * with positive scaling.
     */
    public void scaleUnit(int h, int u, double c) {
        checkHidden(h);
        if (u < 0 || u >= width(h)) {
            throw new IllegalArgumentException("PathChain.scaleUnit: unit " + u + " outside hidden layer " + h + " of "
                    + width(h) + " units");
        }
        if (!(c > 0 && Double.isFinite(c))) {
            throw new IllegalArgumentException("PathChain.scaleUnit: factor must be finite and > 0, got " + c);
        }
        List<Step> w = weighted();
        Parameter inW = weight(w.get(h)), inB = bias(w.get(h)), outW = weight(w.get(h + 1));
        scale(inW.value().select(0, u), c);
        if (inB != null) {
            scale(inB.value().slice(0, u, u + 1), c);
        }
        Tensor out = outW.value();
        int[] outShape = out.shape();
        if (out.rank() == 2 && w.get(h) instanceof Conv conv) {
            // A Linear after Flatten: channel u owns a contiguous run of H·W features.
            int per = outShape[1] / conv.layer().outChannels();
            scale(out.slice(1, u * per, (u + 1) * per), 1 / c);
        } else {
            scale(out.select(1, u), 1 / c);
        }
    }

    private void checkHidden(int h) {
        if (h < 0 || h >= hiddenLayers()) {
            throw new IllegalArgumentException("PathChain: hidden layer " + h + " outside [0, " + hiddenLayers() + ")");
        }
    }

    private static Parameter weight(Step s) {
        return s instanceof Dense d ? d.layer().weight() : ((Conv) s).layer().weight();
    }

    private static Parameter bias(Step s) {
        return s instanceof Dense d ? d.layer().bias() : ((Conv) s).layer().bias();
    }

    private static void scale(Tensor t, double c) {
        for (long i = 0, n = t.numel(); i < n; i++) {
            t.setFlat(i, t.getFlat(i) * c);
        }
    }
}
