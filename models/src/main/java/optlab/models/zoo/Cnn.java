package optlab.models.zoo;

import java.util.ArrayList;
import java.util.List;
import optlab.models.Module;
import optlab.models.layers.Activation;
import optlab.models.layers.AvgPool2d;
import optlab.models.layers.Conv2d;
import optlab.models.layers.Flatten;
import optlab.models.layers.Linear;
import optlab.models.layers.MaxPool2d;
import optlab.models.layers.Sequential;

/**
 * A plain convolutional classifier as one nn.Sequential: per conv width c, Conv2d(prev, c, k, padding
 * k/2, or 0 for "valid" convs) – ReLU – pool 2×2 (max or average); then Flatten; then Linear – ReLU per
 * hidden FC size; then Linear to the classes. The γ paper's CNN (conv3×3 C→N, ReLU, avgpool2; conv3×3
 * N→2N, ReLU, avgpool2; FC→8N, ReLU; readout) is conv = N-2N, fc = 8N, pool avg, padding valid (its
 * reference code uses unpadded convs: 28 → 26 → 13 → 11 → 5). Keys follow Sequential numbering, e.g. for conv 32-64 and fc 128:
 * 0.weight [32, C, k, k], 3.weight [64, 32, k, k], 7.weight [128, 64·H/4·W/4], 9.weight [classes, 128].
 */
public final class Cnn {
    private Cnn() {
    }

    /**
     * @param input  C, H, W of the images
     * @param convs  output channels of each conv stage (each halves H and W)
     * @param fcs    hidden fully connected sizes (may be empty)
     * @param kernel odd conv kernel size (padding keeps H and W)
     * @param pool   "max" or "avg"
     */
    public static Sequential of(int[] input, int[] convs, int[] fcs, int classes, int kernel, String pool) {
        return of(input, convs, fcs, classes, kernel, pool, true);
    }

    /** As above; {@code samePadding} false gives unpadded ("valid") convs that shrink H and W by k − 1. */
    public static Sequential of(int[] input, int[] convs, int[] fcs, int classes, int kernel, String pool,
            boolean samePadding) {
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("Cnn: kernel size must be odd to keep the spatial size, got " + kernel);
        }
        if (!pool.equals("max") && !pool.equals("avg")) {
            throw new IllegalArgumentException("Cnn: pool must be max or avg, got '" + pool + "'");
        }
        List<Module> layers = new ArrayList<>();
        int c = input[0], h = input[1], w = input[2];
        int pad = samePadding ? kernel / 2 : 0;
        for (int width : convs) {
            h += 2 * pad - (kernel - 1);
            w += 2 * pad - (kernel - 1);
            if (h < 2 || w < 2) {
                throw new IllegalArgumentException("Cnn: " + convs.length + " conv and pooling stages shrink a "
                        + input[1] + "x" + input[2] + " image below 1x1");
            }
            layers.add(new Conv2d(c, width, kernel, 1, pad, true));
            layers.add(Activation.relu());
            layers.add(pool.equals("max") ? new MaxPool2d(2) : new AvgPool2d(2));
            c = width;
            h /= 2;
            w /= 2;
        }
        layers.add(new Flatten());
        int features = c * h * w;
        for (int f : fcs) {
            layers.add(new Linear(features, f));
            layers.add(Activation.relu());
            features = f;
        }
        layers.add(new Linear(features, classes));
        return new Sequential(layers);
    }
}
