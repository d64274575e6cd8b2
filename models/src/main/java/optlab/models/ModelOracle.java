package optlab.models;

import java.util.ArrayList;
import java.util.List;
import optlab.optim.GradientOracle;
import optlab.tensor.BufferPool;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/**
 * A {@link Model}'s loss on one fixed batch as a {@link GradientOracle}: each call is a forward and backward pass of
 * {@link BatchLoss} at the given parameters. What makes two calls at the same parameters agree bit for bit:
 * <ul>
 *   <li>Dropout draws the same masks: the model's step counter is set to the value it had when the oracle was
 *       bound (before the step's own forward) for each pass and put back afterwards.</li>
 *   <li>BatchNorm in training mode normalizes with the batch's own statistics at every evaluation (the loss the
 *       step descends); the running statistics each training forward updates are restored after every pass, so
 *       trial points and probes leave them as the step's own forward left them.</li>
 * </ul>
 * Parameters other than the model's own block are copied in for the pass and the block is restored afterwards.
 * The pass writes the model's gradient block (see {@link GradientOracle} on aliasing) unless the oracle was
 * {@linkplain #create created} to preserve it, for probes that must not disturb the step. Scratch copies are
 * allocated once and reused across {@link #bind rebinds}. A model {@linkplain Model#place placed} on a device is
 * evaluated there: copies of its blocks and buffers are made by the backend in device memory, and each call reads
 * back one scalar, the loss.
 */
public final class ModelOracle implements GradientOracle, AutoCloseable {
    private final Model model;
    private final Backend backend;
    private final BufferPool pool;
    private final boolean ownsPool;
    private final boolean preserve;
    private BatchLoss loss;
    private long step;
    private final List<double[]> buffers = new ArrayList<>();
    /** Device copies of the buffers that lie in device memory (null for host ones), made once. */
    private final List<Tensor> deviceBuffers = new ArrayList<>();
    /** Opened on first need (a shared arena's close costs a handshake: not per step for oracles that copy nothing). */
    private Scope scope;
    private Tensor savedGrads, savedParams;
    private double lastLoss = Double.NaN;
    private long calls;

    private ModelOracle(Model model, Backend backend, BufferPool pool, boolean preserve) {
        this.model = java.util.Objects.requireNonNull(model, "model");
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        this.ownsPool = pool == null;
        this.pool = pool == null ? new BufferPool() : pool;
        this.preserve = preserve;
        if (model.gradients() == null) {
            throw new IllegalArgumentException("ModelOracle: the model is frozen (it has no gradients)");
        }
    }

    /**
     * An unbound oracle for {@code model} that a loop {@linkplain #bind(BatchLoss, long) binds} to each step's batch,
     * reusing its scratch memory. With {@code preserveGradients} every call leaves the model's gradient block as it
     * found it (for probes that must not disturb the step). {@code pool} may be null (the oracle then owns one).
     */
    public static ModelOracle create(Model model, Backend backend, BufferPool pool, boolean preserveGradients) {
        return new ModelOracle(model, backend, pool, preserveGradients);
    }

    /**
     * A one-shot oracle for {@code loss} bound at the model's current step counter and buffers, leaving the
     * gradient block as it found it.
     */
    public static ModelOracle bind(Model model, Backend backend, BufferPool pool, BatchLoss loss) {
        return create(model, backend, pool, true).bind(loss, model.step());
    }

    /**
     * Binds to {@code loss} with dropout drawn as at model step {@code step} (the counter before the step's own
     * forward) and the running statistics as they are now (after that forward), which every call restores.
     */
    public ModelOracle bind(BatchLoss loss, long step) {
        this.loss = java.util.Objects.requireNonNull(loss, "loss");
        this.step = step;
        buffers.clear();
        int i = 0;
        for (Buffer b : model.namedBuffers().values()) {
            Tensor v = b.value();
            if (deviceBuffers.size() == i) {
                deviceBuffers.add(v.onDevice() ? scratchLike(v) : null);
            }
            if (v.onDevice()) { // into the device copy made on the first bind (no per-step allocation)
                copy(v, deviceBuffers.get(i));
                buffers.add(null);
            } else {
                buffers.add(v.toDoubleArray());
            }
            i++;
        }
        return this;
    }

    @Override
    public void gradient(Tensor params, Tensor gradOut) {
        if (loss == null) {
            throw new IllegalStateException("ModelOracle: not bound to a batch (call bind first)");
        }
        Tensor own = model.parameters();
        if (gradOut.dtype() != own.dtype() || gradOut.numel() != own.numel()
                || params.dtype() != own.dtype() || params.numel() != own.numel()) {
            throw new IllegalArgumentException("ModelOracle: params " + params + " and gradOut " + gradOut
                    + " must match the model's block " + own);
        }
        boolean foreign = params != own;
        if (foreign) {
            savedParams = keep(savedParams, own);
            copy(params, own);
        }
        Tensor grads = model.gradients();
        boolean keepGrads = preserve && gradOut != grads;
        if (keepGrads) {
            savedGrads = keep(savedGrads, grads);
        }
        long was = model.step();
        try {
            model.setStep(step);
            model.zeroGrad();
            try (Graph g = Graph.open(backend, pool)) {
                Variable l = loss.loss(g);
                if (l.value().numel() != 1) {
                    throw new IllegalArgumentException("ModelOracle: the batch loss must be a scalar, got shape "
                            + java.util.Arrays.toString(l.value().shape()));
                }
                lastLoss = backend.item(l.value());
                g.backward(l);
            }
            Tensor fresh = model.gradients(); // fetched after the pass: it settles discarded gradients
            if (gradOut != fresh) {
                copy(fresh, gradOut);
            }
            calls++;
        } finally {
            model.setStep(was);
            restoreBuffers();
            if (keepGrads) {
                copy(savedGrads, model.gradients());
            }
            if (foreign) {
                copy(savedParams, own);
            }
        }
    }

    /** The loss at the last call's parameters. */
    public double lastLoss() {
        return lastLoss;
    }

    /** Passes run so far. */
    public long calls() {
        return calls;
    }

    /** A copy of {@code from} in {@code slot}, allocated on first use where {@code from} lies (host or device). */
    private Tensor keep(Tensor slot, Tensor from) {
        Tensor t = slot == null ? scratchLike(from) : slot;
        copy(from, t);
        return t;
    }

    private Tensor scratchLike(Tensor from) {
        if (scope == null) {
            scope = Scope.open();
        }
        return from.onDevice() ? backend.empty(scope, from.dtype(), from.shape()) : scope.empty(from.dtype(), from.shape());
    }

    /** dst = src: through the backend where either lies in device memory (host code must not read it). */
    private void copy(Tensor src, Tensor dst) {
        if (src.onDevice() || dst.onDevice()) {
            backend.copy(src, dst);
        } else {
            dst.copyFrom(src);
        }
    }

    private void restoreBuffers() {
        int i = 0;
        for (Buffer b : model.namedBuffers().values()) {
            Tensor t = b.value();
            if (t.onDevice()) {
                copy(deviceBuffers.get(i++), t);
                continue;
            }
            double[] v = buffers.get(i++);
            for (int j = 0; j < v.length; j++) {
                t.setFlat(j, v[j]);
            }
        }
    }

    @Override
    public void close() {
        if (scope != null) {
            scope.close();
        }
        if (ownsPool) {
            pool.close();
        }
    }
}
