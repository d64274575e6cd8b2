package optlab.models.param;

import optlab.models.Module;
import optlab.models.layers.ClassificationHead;
import optlab.models.layers.Conv2d;
import optlab.models.layers.DistanceLayer;
import optlab.models.layers.Linear;

/**
 * Sets the forward multipliers of a module tree whose weights are drawn N(0, 1): every Linear and
 * Conv2d is divided by √fan_in, where a conv's fan_in is its number of input channels (as the γ paper's
 * reference code, which divides by x.shape[-3], and the issue text; not in·k²: the k² is a constant
 * independent of width); the readout, the last Linear or ClassificationHead in declaration order (the
 * final layer of every zoo family), is divided by its fan_in under μP and by √fan_in under NTK.
 * Normalization layers and embeddings keep no multiplier. Distance and RBF layers are refused: their
 * centroids and widths are not weights of a weighted sum, so a 1/√fan_in multiplier has no meaning there.
 */
final class LayerScaling {
    private LayerScaling() {
    }

    /** Applies the multipliers for {@code kind} (NTK or MUP) to {@code root} and returns its readout. */
    static Module apply(Module root, Parameterization.Kind kind) {
        Module readout = null;
        for (Module m : root.modules()) {
            if (m instanceof DistanceLayer) {
                throw new IllegalArgumentException(kind + " parameterization does not apply to " + m + ": a distance"
                        + " layer's centroids and widths are not the weights of a weighted sum, so there is no fan-in"
                        + " multiplier to set; use the standard parameterization");
            }
            if (m instanceof Linear || m instanceof ClassificationHead) {
                readout = m;
            }
        }
        if (readout == null) {
            throw new IllegalArgumentException(kind + " parameterization: " + root + " has no Linear or"
                    + " ClassificationHead readout to scale");
        }
        for (Module m : root.modules()) {
            boolean mean = kind == Parameterization.Kind.MUP && m == readout;
            switch (m) {
                case Linear l -> l.setMultiplier(scale(l.inFeatures(), mean));
                case ClassificationHead h -> h.setMultiplier(scale(h.inFeatures(), mean));
                case Conv2d c -> c.setMultiplier(scale(c.inChannels(), mean));
                default -> {
                }
            }
        }
        return readout;
    }

    /** 1/fan_in for a μP readout (mean-field), 1/√fan_in otherwise. */
    private static double scale(int fanIn, boolean meanField) {
        return meanField ? 1.0 / fanIn : 1.0 / Math.sqrt(fanIn);
    }

    /**
     * The hidden width N of a zoo model: the output size of its first Linear or Conv2d (an MLP's first
     * hidden size, a CNN's first conv width, a ResNet's stem width, a ViT's embedding size).
     */
    static int width(Module root) {
        for (Module m : root.modules()) {
            if (m instanceof Linear l) {
                return l.outFeatures();
            }
            if (m instanceof Conv2d c) {
                return c.outChannels();
            }
        }
        throw new IllegalArgumentException("width: " + root + " has no Linear or Conv2d layer");
    }
}
