package optlab.tensor.backend;

import java.util.function.IntConsumer;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.update.HostUpdate;
import optlab.tensor.update.UpdateStage;

/**
 * The kernels a model needs, behind one interface (SPI). Callers allocate outputs (so a training
 * step can reuse buffers) and pass them in; a kernel checks shapes and dtypes and fails with a
 * message naming the shapes at fault. All tensors of one call share a dtype. Inputs may be any
 * strided view (including broadcast views with stride 0); outputs must not alias inputs unless a
 * method says so. Model code names no implementation: it receives a Backend.
 */
public interface Backend extends AutoCloseable {

    /** Short name, e.g. "cpu" or "reference". */
    String name();

    /** The hardware choices in force (vector species, threads), for logs and result files. */
    String describe();

    /** Worker threads kernels split their work over. */
    int threads();

    /**
     * Runs task(0) .. task(tasks − 1), each once, on this backend's worker threads (the caller takes
     * part) and returns when all are done; tasks must be independent. For host loops outside the
     * kernels, such as optimizer updates, so that a run stays on the threads its backend was given (a
     * one-thread backend uses one core). The default runs them in order on the calling thread.
     */
    default void forEachTask(int tasks, IntConsumer task) {
        for (int i = 0; i < tasks; i++) {
            task.accept(i);
        }
    }

    // ------------------------------------------------------------------ memory

    /**
     * An uninitialized contiguous tensor where this backend computes without transfers: host memory from
     * {@code scope} for the CPU backends (the default); for cuda, device memory leased from the backend's pool for
     * as long as {@code scope} is open. Any backend also accepts host tensors.
     */
    default Tensor empty(Scope scope, DType dtype, int... shape) {
        return scope.empty(dtype, shape);
    }

    /**
     * Whether {@link #empty} gives device memory, which host code must not read: callers then keep a run's data
     * there ({@link #place}) and read it back only through {@link #toHost} or {@link #item}. False for the CPU.
     */
    default boolean deviceMemory() {
        return false;
    }

    /** {@code t} in this backend's memory: t itself where it already lies there, else a contiguous copy in {@code scope}. */
    default Tensor place(Tensor t, Scope scope) {
        if (t.onDevice() == deviceMemory()) {
            return t;
        }
        Tensor out = empty(scope, t.dtype(), t.shape());
        copy(t, out);
        return out;
    }

    /**
     * {@code t} as a host tensor: t itself when it lies in host memory, else a contiguous copy in {@code scope}. The
     * one way host code (files, probes, metrics) reads device data.
     */
    default Tensor toHost(Tensor t, Scope scope) {
        if (!t.onDevice()) {
            return t;
        }
        Tensor out = scope.empty(t.dtype(), t.shape());
        copy(t, out);
        return out;
    }

    /** The only element of a one-element tensor, wherever it lies (a loss, a metric). */
    default double item(Tensor t) {
        return t.item();
    }

    /** Waits until queued work is done (device backends run asynchronously); for timing. A no-op on the CPU. */
    default void synchronize() {
    }

    /** dst = src, where src has dst's shape or broadcasts to it; any strides; dtypes may differ. */
    void copy(Tensor src, Tensor dst);

    void fill(Tensor dst, double value);

    // ------------------------------------------------------------------ GEMM

    /**
     * c = alpha·a·b + beta·c, batched over leading axes. a is [..., M, K], b [..., K, N], c [..., M, N];
     * batch axes broadcast. Transposed operands are views ({@link Tensor#mT()}), so all four
     * transpose combinations are one call. With beta = 0, c's previous contents are ignored (NaN too).
     */
    void gemm(double alpha, Tensor a, Tensor b, double beta, Tensor c);

    /** BLAS-style convenience: op(x) is x or its transpose. */
    default void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        gemm(alpha, transA ? a.mT() : a, transB ? b.mT() : b, beta, c);
    }

    // ------------------------------------------------------------------ elementwise (broadcasting)

    /** out = op(x); x broadcasts to out. */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /** out = op(a, b); a and b broadcast to out. out may be exactly the same view as a or b (x += y). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = op(a, s) for a scalar s. */
    void scalar(BinaryOp op, Tensor a, double s, Tensor out);

    /** out = min(max(x, lo), hi). */
    void clamp(Tensor x, double lo, double hi, Tensor out);

    /** out = mask != 0 ? a : b; all three broadcast to out. */
    void where(Tensor mask, Tensor a, Tensor b, Tensor out);

    // ------------------------------------------------------------------ reductions

    /**
     * Reduces x over the axes where out has size 1 and x does not (out has x's rank: "keepdim").
     */
    void reduce(ReduceOp op, Tensor x, Tensor out);

    /** Index (stored as a number) of the first maximum along {@code axis}; out has size 1 on that axis. */
    void argmax(Tensor x, int axis, Tensor out);

    /**
     * Mean and variance over the axes where mean has size 1 (mean and var have the same shape);
     * variance divides by n − correction (0: biased, as normalization layers use; 1: unbiased).
     */
    void moments(Tensor x, Tensor mean, Tensor var, int correction);

    // ------------------------------------------------------------------ normalization

    /**
     * Training-mode batch normalization over channel axis 1 of x [N, C, ...] in one kernel: per channel,
     * the batch mean and biased variance over all other axes go to mean and var [C], and
     * out = (x − mean)/√(var + eps)·gamma + beta (gamma, beta [C]; null means 1 and 0).
     */
    void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor out, Tensor mean, Tensor var);

    /**
     * Gradients of {@link #batchNorm} given gOut (x's shape), x and the mean and var it produced:
     * with x̂ = (x − mean)/√(var + eps) and M values per channel, gx (overwritten; may be null) =
     * gamma/√(var + eps) · (gOut − Σ gOut/M − x̂·Σ gOut ⊙ x̂/M), gGamma = Σ gOut ⊙ x̂, gBeta = Σ gOut
     * (each may be null); sums run over all axes but 1.
     */
    void batchNormBackward(Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps, Tensor gx,
            Tensor gGamma, Tensor gBeta);

    // ------------------------------------------------------------------ softmax and losses

    void softmax(Tensor x, int axis, Tensor out);

    void logSoftmax(Tensor x, int axis, Tensor out);

    /** gx = y ⊙ (gy − Σ_axis gy ⊙ y), for y = softmax(x). */
    void softmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx);

    /** gx = gy − exp(y) ⊙ Σ_axis gy, for y = logSoftmax(x). */
    void logSoftmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx);

    /**
     * Mean softmax cross-entropy over the batch. logits are [N, C]; target is [N] class indices
     * (stored as numbers) or [N, C] probabilities. If grad is not null it receives
     * ∂loss/∂logits = (softmax(logits) − onehot(target)) / N, computed in the same pass.
     */
    double crossEntropy(Tensor logits, Tensor target, Tensor grad);

    /** Mean over all elements of (a − b)²; if grad is not null it receives ∂loss/∂a = 2(a − b)/n. */
    double mse(Tensor a, Tensor b, Tensor grad);

    /**
     * {@link #crossEntropy(Tensor, Tensor, Tensor)} with the mean loss stored in {@code loss} (one element, logits'
     * dtype, from {@link #empty}) instead of returned. A device backend keeps it in device memory, so a training step
     * reads its loss back once ({@link #item}) instead of also waiting for it here; it may then report a target that is
     * not a class index at that read. By default: the returning form, then {@link #fill}.
     */
    default void crossEntropy(Tensor logits, Tensor target, Tensor grad, Tensor loss) {
        fill(loss, crossEntropy(logits, target, grad));
    }

    /** {@link #mse(Tensor, Tensor, Tensor)} with the loss stored in the one-element {@code loss}, as crossEntropy's. */
    default void mse(Tensor a, Tensor b, Tensor grad, Tensor loss) {
        fill(loss, mse(a, b, grad));
    }

    // ------------------------------------------------------------------ convolution and pooling

    /** out [N, O, Ho, Wo] = conv(x [N, C, H, W], w [O, C, kh, kw]) + bias [O] (bias may be null). */
    void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out);

    /** gx [N, C, H, W] = ∂/∂x given gOut [N, O, Ho, Wo] (overwrites gx). */
    void conv2dBackwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx);

    /** gw [O, C, kh, kw] and gBias [O] (may be null) from gOut and x (overwrites both). */
    void conv2dBackwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias);

    /** out [N, C, Ho, Wo]; argmax (same shape as out, may be null) gets the index h·W + w of each max. */
    void maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax);

    /** gx (overwritten) scatters gOut to the recorded argmax positions. */
    void maxPool2dBackward(Tensor gOut, Tensor argmax, Tensor gx);

    void avgPool2d(Tensor x, Pool2dSpec spec, Tensor out);

    void avgPool2dBackward(Tensor gOut, Pool2dSpec spec, Tensor gx);

    // ------------------------------------------------------------------ distances

    /**
     * out [N, M] = Σ_d w[m, d]·(x[n, d] − c[m, d])² for x [N, D], centroids c [M, D] and per-connection
     * weights w [M, D] (w may be null, meaning all ones): the Gaussian distance layer's core.
     */
    void pairwiseSqDist(Tensor x, Tensor c, Tensor w, Tensor out);

    /** Gradients of {@link #pairwiseSqDist} given g [N, M]; each of gx, gc, gw may be null (overwritten when not). */
    void pairwiseSqDistBackward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw);

    // ------------------------------------------------------------------ optimizer updates

    /**
     * One fused optimizer step over a flat block: u = g, each stage rewrites u and its own state (formulas on
     * {@link UpdateStage.Kind}), then p = fma(u, −lr, p). params, grads and every stage buffer are contiguous 1-D
     * tensors of one length and dtype, element-aligned. Host backends run {@code host}, the optim module's vectorized
     * kernels (the default); device backends run the same formulas in the same IEEE operations on the device.
     */
    @SuppressWarnings("exports") // the stage list is optim's business: optlab.tensor.update is exported to it alone
    default void update(UpdateStage[] stages, double lr, Tensor params, Tensor grads, HostUpdate host) {
        host.run(stages, lr, params, grads);
    }

    /** Releases worker threads and workspaces. */
    @Override
    void close();
}
