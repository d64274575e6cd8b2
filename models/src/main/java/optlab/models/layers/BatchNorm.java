package optlab.models.layers;

import java.util.Arrays;
import optlab.models.Buffer;
import optlab.models.Module;
import optlab.models.Parameter;
import optlab.models.init.Role;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Functions;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;

/**
 * Batch normalization over channel axis 1 of x [N, C, ...], as torch.nn.BatchNorm1d/2d (affine,
 * track_running_stats). Training: normalize by the batch's mean and biased variance and update
 * running_mean ← (1 − m)·running_mean + m·mean, running_var ← (1 − m)·running_var + m·var·n/(n − 1)
 * (unbiased, n values per channel), num_batches_tracked += 1; evaluation: normalize by the running
 * statistics. Parameters weight, bias [C]; buffers running_mean, running_var [C], num_batches_tracked [].
 * The running-stat update happens in every training-mode forward, also on a no-grad graph (as PyTorch).
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    private final int channels;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Buffer runningMean;
    private final Buffer runningVar;
    private final Buffer batches;

    BatchNorm(String layer, int channels, double eps, double momentum) {
        Shapes.positive(layer, "num_features", channels);
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(layer + ": need eps > 0 and momentum in [0, 1], got eps=" + eps
                    + ", momentum=" + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = parameter("weight", Role.NORM_SCALE, channels, channels);
        this.bias = parameter("bias", Role.NORM_SHIFT, channels, channels);
        this.runningMean = buffer("running_mean", 0, channels);
        this.runningVar = buffer("running_var", 1, channels);
        this.batches = counter("num_batches_tracked");
    }

    /** Accepted input ranks (BatchNorm1d: 2 or 3; BatchNorm2d: 4). */
    abstract void checkRank(Variable x);

    @Override
    public Variable forward(Graph g, Variable x) {
        checkRank(x);
        Shapes.dim(this, x, 1, channels, "channels");
        if (!training()) {
            return Functions.normalize(g, x, Variable.constant(runningMean.value()), Variable.constant(runningVar.value()),
                    weight.variable(), bias.variable(), eps);
        }
        long n = x.value().numel() / channels;
        if (n < 2) {
            throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got input "
                    + Arrays.toString(x.shape()));
        }
        // One fused primitive (no full-size intermediates); it hands out the batch statistics.
        Tensor mean = g.empty(x.value().dtype(), channels), var = g.empty(x.value().dtype(), channels);
        Variable y = g.batchNorm(x, weight.variable(), bias.variable(), eps, mean, var);
        if (runningMean.value().onDevice()) {
            // From the backend's ops, on the device: no transfer, so no wait for the device, per layer and step
            // (copying the C numbers to the host and back cost eight synchronous transfers each). Each op rounds
            // to the dtype where the host loop rounds once: the statistics agree with the CPU's to about an ulp.
            Backend b = g.backend();
            Tensor scaled = g.empty(x.value().dtype(), channels);
            blend(b, runningMean.value(), mean, 1, scaled);
            blend(b, runningVar.value(), var, (double) n / (n - 1), scaled);
            b.scalar(BinaryOp.ADD, batches.value(), 1, batches.value());
        } else {
            updateRunningStats(mean, var, n, runningMean.value(), runningVar.value(), batches.value());
        }
        return y;
    }

    /** running ← (1 − m)·running + m·unbias·stat on the backend; scaled: [C] scratch. */
    private void blend(Backend b, Tensor running, Tensor stat, double unbias, Tensor scaled) {
        b.scalar(BinaryOp.MUL, running, 1 - momentum, running);
        b.scalar(BinaryOp.MUL, stat, momentum * unbias, scaled);
        b.binary(BinaryOp.ADD, running, scaled, running);
    }

    /** mean and var are the [C] batch statistics (var biased); C numbers, so a plain loop; t counts batches. */
    private void updateRunningStats(Tensor mean, Tensor var, long n, Tensor rm, Tensor rv, Tensor t) {
        double unbias = (double) n / (n - 1);
        for (int c = 0; c < channels; c++) {
            rm.setFlat(c, (1 - momentum) * rm.getFlat(c) + momentum * mean.getFlat(c));
            rv.setFlat(c, (1 - momentum) * rv.getFlat(c) + momentum * var.getFlat(c) * unbias);
        }
        t.setFlat(0, t.getFlat(0) + 1);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Buffer runningMean() {
        return runningMean;
    }

    public Buffer runningVar() {
        return runningVar;
    }

    public Buffer numBatchesTracked() {
        return batches;
    }

    public int channels() {
        return channels;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + channels + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
