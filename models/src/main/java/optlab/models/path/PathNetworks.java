package optlab.models.path;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import optlab.models.Model;
import optlab.models.path.PathChain.Conv;
import optlab.models.path.PathChain.Dense;
import optlab.models.path.PathChain.Flat;
import optlab.models.path.PathChain.Pool;
import optlab.models.path.PathChain.Step;
import optlab.optim.DensePaths;
import optlab.optim.PathStructure;
import optlab.tensor.backend.Conv2dSpec;

/**
 * Path structures of models, for Path-SGD and the path-norm metric. A model whose tree (nested
 * Sequentials opened) is a chain of Linear layers with ReLU, Dropout or Flatten between them gets a
 * {@link DensePaths} (GEMV passes, fused step); one with Conv2d or pooling layers runs its |w|^p
 * network through autodiff (max pooling counts every window input as a path of weight 1, average
 * pooling has weights (1/k²)^p). BatchNorm, LayerNorm, attention, GELU/Tanh, residual blocks and other
 * layers are refused with an IllegalArgumentException naming the first offending module and why.
 * Biases are edges from a constant-1 unit: |b|^p enters the forward pass and a bias's κ is the
 * backward value of its unit. A layer's forward multiplier m (a parameterization's 1/√fan_in) weighs
 * its edges by |m|^p; a model with an output stage (a parameterization's centering) is refused.
 */
public final class PathNetworks {
    /** Square inputs up to this size are tried when a conv net's input size is inferred. */
    private static final int MAX_INFERRED = 4096;

    private PathNetworks() {
    }

    /**
     * The path structure of {@code model}. A conv net's input size is inferred from its first Linear's
     * in_features when exactly one square size fits; otherwise use {@link #of(Model, int...)}.
     */
    public static PathStructure of(Model model) {
        PathChain chain = PathChain.of(model);
        if (chain.steps().stream().allMatch(s -> s instanceof Dense || s instanceof Flat)) {
            return dense(model, chain);
        }
        return new GraphPaths(chain, inferInput(chain));
    }

    /** The path structure of {@code model} for inputs of one sample's shape (C, H, W for a conv net). */
    public static PathStructure of(Model model, int... inputShape) {
        PathChain chain = PathChain.of(model);
        if (chain.steps().stream().allMatch(s -> s instanceof Dense || s instanceof Flat)) {
            return dense(model, chain);
        }
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("PathNetworks.of: a conv net needs its input shape as C, H, W, got "
                    + Arrays.toString(inputShape));
        }
        shapeAfter(chain, inputShape); // fails on a mismatch now, not at the first step
        return new GraphPaths(chain, inputShape);
    }

    /** The autodiff |w|^p network for any supported model (for tests: it cross-checks the dense kernels). */
    static PathStructure graph(Model model, int... inputShape) {
        PathChain chain = PathChain.of(model);
        if (inputShape.length == 0) {
            Dense first = (Dense) chain.steps().stream().filter(s -> s instanceof Dense).findFirst().orElseThrow();
            inputShape = new int[] {first.layer().inFeatures()};
        }
        return new GraphPaths(chain, inputShape);
    }

    private static DensePaths dense(Model model, PathChain chain) {
        List<DensePaths.Layer> layers = new ArrayList<>();
        for (Step s : chain.steps()) {
            if (s instanceof Dense d) {
                layers.add(new DensePaths.Layer(d.weight(), d.layer().outFeatures(), d.layer().inFeatures(), d.bias(),
                        d.layer().multiplier()));
            }
        }
        return new DensePaths(model.numParameters(), layers);
    }

    /** The square C×H×H input for which the chain's first Linear gets its in_features, when unique. */
    private static int[] inferInput(PathChain chain) {
        Step first = chain.steps().getFirst();
        if (!(first instanceof Conv c)) {
            throw new IllegalArgumentException("PathNetworks.of: a conv net must start with a Conv2d to infer its input"
                    + " size; use PathNetworks.of(model, C, H, W)");
        }
        int channels = c.layer().inChannels();
        List<Integer> fits = new ArrayList<>();
        for (int h = 1; h <= MAX_INFERRED && fits.size() < 2; h++) {
            try {
                shapeAfter(chain, new int[] {channels, h, h});
                fits.add(h);
            } catch (IllegalArgumentException e) {
                // this size does not reach the Linear layers with the right feature count
            }
        }
        if (fits.size() != 1) {
            throw new IllegalArgumentException("PathNetworks.of: cannot infer this conv net's input size from its layers ("
                    + (fits.isEmpty() ? "no square input fits" : "square inputs of " + fits.get(0) + " and " + fits.get(1)
                    + " both fit") + "); use PathNetworks.of(model, C, H, W)");
        }
        return new int[] {channels, fits.getFirst(), fits.getFirst()};
    }

    /** Propagates a sample shape through the chain; fails where a layer does not fit. */
    private static int[] shapeAfter(PathChain chain, int[] input) {
        int[] x = input.clone();
        for (Step s : chain.steps()) {
            x = switch (s) {
                case Conv c -> {
                    need(x.length == 3 && x[0] == c.layer().inChannels(), c.name(), x);
                    Conv2dSpec sp = c.layer().spec();
                    int k = c.layer().kernelSize();
                    int h = Conv2dSpec.outSize(x[1], k, sp.strideH(), sp.padH());
                    int w = Conv2dSpec.outSize(x[2], k, sp.strideW(), sp.padW());
                    need(h >= 1 && w >= 1 && x[1] + 2 * sp.padH() >= k && x[2] + 2 * sp.padW() >= k, c.name(), x);
                    yield new int[] {c.layer().outChannels(), h, w};
                }
                case Pool q -> {
                    need(x.length == 3 && x[1] + 2 * q.spec().padH() >= q.spec().kernelH()
                            && x[2] + 2 * q.spec().padW() >= q.spec().kernelW(), q.name(), x);
                    yield new int[] {x[0], q.spec().outH(x[1]), q.spec().outW(x[2])};
                }
                case Flat f -> new int[] {Arrays.stream(x).reduce(1, (a, b) -> a * b)};
                case Dense d -> {
                    need(x.length == 1 && x[0] == d.layer().inFeatures(), d.name(), x);
                    yield new int[] {d.layer().outFeatures()};
                }
            };
        }
        return x;
    }

    private static void need(boolean ok, String layer, int[] shape) {
        if (!ok) {
            throw new IllegalArgumentException("PathNetworks: layer " + layer + " does not fit a sample of shape "
                    + Arrays.toString(shape));
        }
    }
}
