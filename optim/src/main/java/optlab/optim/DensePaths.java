package optlab.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import optlab.optim.internal.PathKernels;
import optlab.optim.internal.Team;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;

/**
 * The path structure of a chain of fully connected layers over one flat parameter block (an MLP: ReLU,
 * dropout and other unit-wise maps between the layers are the identity in the |w|^p network). Layer
 * k maps {@code in} units to {@code out} units with a row-major weight [out, in] and an optional bias
 * [out] (an edge from a constant-1 unit: |b|^p enters the forward pass, and a bias's κ is δ of its
 * unit). The layers must cover the block exactly. Passes are GEMVs over the weights (see the
 * kernels); {@link PathSGD} runs its step fused with the backward pass, never storing κ.
 *
 * <p>Holds reusable scratch, so one instance serves one training loop at a time (not thread-safe).
 */
public final class DensePaths implements PathStructure {

    /**
     * One dense layer y = m·(W x + b): weight [out, in] at element offset {@code weight} of the block,
     * bias [out] at {@code bias} or −1 for none, and a constant forward multiplier m &gt; 0 (1 for a plain
     * layer) that enters every edge of the layer as |m|^p. With it, Path-SGD on (W, b) takes the same
     * steps in the effective weights m·W as Path-SGD on a plain layer holding m·W (for p = 2).
     */
    public record Layer(long weight, int out, int in, long bias, double multiplier) {
        public Layer {
            if (out < 1 || in < 1 || weight < 0 || bias < -1) {
                throw new IllegalArgumentException("DensePaths.Layer: needs out, in >= 1 and offsets >= 0 (bias -1 for"
                        + " none), got weight@" + weight + " [" + out + ", " + in + "], bias@" + bias);
            }
            if (!(multiplier > 0 && Double.isFinite(multiplier))) {
                throw new IllegalArgumentException("DensePaths.Layer: multiplier must be finite and > 0, got " + multiplier);
            }
        }

        /** A plain layer (multiplier 1). */
        public Layer(long weight, int out, int in, long bias) {
            this(weight, out, in, bias, 1);
        }
    }

    private final long numel;
    private final Layer[] layers;
    private final int[] sizes;
    private PathKernels.Work work32;
    private PathKernels.Work work64;
    private DevicePathStep onDevice;

    /** Layers from input to output over a block of {@code numel} parameters, which they must cover exactly. */
    public DensePaths(long numel, List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("DensePaths: needs at least one layer");
        }
        this.numel = numel;
        this.layers = layers.toArray(Layer[]::new);
        this.sizes = new int[this.layers.length + 1];
        sizes[0] = this.layers[0].in();
        List<long[]> spans = new ArrayList<>();
        for (int k = 0; k < this.layers.length; k++) {
            Layer l = this.layers[k];
            if (l.in() != sizes[k]) {
                throw new IllegalArgumentException("DensePaths: layer " + k + " takes " + l.in() + " inputs but layer "
                        + (k - 1) + " gives " + sizes[k]);
            }
            sizes[k + 1] = l.out();
            spans.add(new long[] {l.weight(), l.weight() + (long) l.out() * l.in()});
            if (l.bias() >= 0) {
                spans.add(new long[] {l.bias(), l.bias() + l.out()});
            }
        }
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        long end = 0;
        for (long[] s : spans) {
            if (s[0] != end) {
                throw new IllegalArgumentException("DensePaths: the layers must cover the " + numel + " parameters"
                        + " exactly, but " + (s[0] < end ? "overlap at " + s[0] : "leave [" + end + ", " + s[0] + ") out"));
            }
            end = s[1];
        }
        if (end != numel) {
            throw new IllegalArgumentException("DensePaths: the layers cover " + end + " of " + numel + " parameters");
        }
    }

    public List<Layer> layers() {
        return List.of(layers);
    }

    /** Parameters in the block this structure describes. */
    public long numel() {
        return numel;
    }

    @Override
    public double kappa(Tensor params, double p, Tensor kappa) {
        String op = "DensePaths.kappa";
        check(op, params, p);
        FlatBlock.check(op, "kappa", kappa);
        FlatBlock.sameLayout(op, params, kappa);
        return PathKernels.kappa(Team.CALLER, work(params.dtype()), layers, params.segment(), params.offset(), kappa.segment(),
                kappa.offset(), p);
    }

    @Override
    public double pathNorm(Tensor params, double p) {
        check("DensePaths.pathNorm", params, p);
        if (!PathKernels.VECTORS) {
            return Math.pow(PathKernels.forwardScalar(params.dtype(), layers, params.segment(), params.offset(), p), 1 / p);
        }
        return Math.pow(PathKernels.forward(Team.CALLER, work(params.dtype()), layers, params.segment(), params.offset(), p), 1 / p);
    }

    /** params ← params − lr·grads/κ, κ from params (p-th powers) in the same passes, row groups run on team. */
    void step(Tensor params, Tensor grads, double p, double lr, Team team) {
        check("path-sgd.step", params, p);
        PathKernels.step(team, work(params.dtype()), layers, params.segment(), params.offset(), grads.segment(),
                grads.offset(), p, lr);
    }

    /** As {@link #step(Tensor, Tensor, double, double, Team)} for a block in {@code backend}'s device memory. */
    void step(Backend backend, Tensor params, Tensor grads, double p, double lr) {
        check("path-sgd.step", params, p);
        if (onDevice == null) {
            onDevice = new DevicePathStep(layers);
        }
        onDevice.step(backend, params, grads, p, lr);
    }

    private void check(String op, Tensor params, double p) {
        FlatBlock.check(op, "params", params);
        if (params.numel() != numel) {
            throw new IllegalArgumentException(op + ": params " + params.dtype() + Arrays.toString(params.shape())
                    + " do not match this structure's " + numel + " parameters");
        }
        if (!(p > 0 && Double.isFinite(p))) {
            throw new IllegalArgumentException(op + ": p must be finite and > 0, got " + p);
        }
    }

    private PathKernels.Work work(DType dtype) {
        if (dtype == DType.F32) {
            return work32 == null ? work32 = PathKernels.work(dtype, sizes) : work32;
        }
        return work64 == null ? work64 = PathKernels.work(dtype, sizes) : work64;
    }

    @Override
    public String toString() {
        return "DensePaths" + Arrays.toString(sizes);
    }
}
