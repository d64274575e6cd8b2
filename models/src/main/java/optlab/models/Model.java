package optlab.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import optlab.models.init.InitScheme;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/**
 * A module tree with its memory: one contiguous {@link ParameterBlock} (values and gradients) and one
 * contiguous buffer block, owned until {@link #close()}. Built once from a finished tree; parameters
 * are initialized from one seeded generator in state_dict order, so the same seed and scheme give the
 * same weights bit for bit. Training forwards count steps; Dropout masks derive from (seed, step). An
 * optional {@link OutputStage} (a parameterization's centering and output multiplier) follows the root.
 *
 * <pre>{@code
 * try (Model m = Model.build(Zoo.parse("mlp:784-100-10"), DType.F32, InitScheme.PYTORCH, 1)) {
 *     OptimizerState st = sgd.init(m.parameters()).runOn(backend); // steps split over the backend's threads
 *     m.zeroGrad();
 *     try (Graph g = Graph.open(backend, pool)) { g.backward(g.crossEntropy(m.forward(g, x), y)); }
 *     sgd.step(st, m.parameters(), m.gradients());
 * }
 * }</pre>
 */
public final class Model implements AutoCloseable {
    private final Module root;
    private final DType dtype;
    private final long seed;
    private final Scope scope = Scope.open();
    /** The device backend the model lives on after {@link #place}, or null (host memory). */
    private Backend device;
    /** Device memory of the blocks, from {@link #place} until close. */
    private Scope deviceScope;
    private final Map<String, Parameter> parameters;
    private final Map<String, Buffer> buffers;
    private final ParameterBlock block;
    private Tensor bufferBlock;
    private final List<Stochastic> stochastic;
    private long step;
    private OutputStage output;

    private Model(Module root, DType dtype, InitScheme init, long seed, boolean frozen) {
        this.root = root;
        this.dtype = dtype;
        this.seed = seed;
        this.parameters = root.namedParameters();
        this.buffers = root.namedBuffers();
        Map<Parameter, String> seen = new java.util.IdentityHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            String first = seen.put(e.getValue(), e.getKey());
            if (first != null) {
                scope.close();
                throw new IllegalArgumentException("Model.build: '" + first + "' and '" + e.getKey()
                        + "' are the same parameter (a module registered twice); shared weights are not supported");
            }
            if (e.getValue().bound()) {
                scope.close();
                throw new IllegalStateException("Model.build: parameter '" + e.getKey()
                        + "' already belongs to another model; a module tree is built into one model only");
            }
        }
        this.block = new ParameterBlock(parameters, dtype, scope, frozen);
        SplittableRandom rng = new SplittableRandom(seed);
        for (Parameter p : parameters.values()) {
            init.initializer(p.role(), p.fanIn()).fill(p.value(), rng);
        }
        long nb = buffers.values().stream().mapToLong(Buffer::numel).sum();
        bufferBlock = scope.zeros(dtype, Math.toIntExact(Math.max(nb, 0)));
        long off = 0;
        for (Buffer b : buffers.values()) {
            int end = Math.toIntExact(off + b.numel());
            Tensor view = bufferBlock.slice(0, (int) off, end).reshape(b.shape());
            for (long i = 0; i < b.numel(); i++) {
                view.setFlat(i, b.initial());
            }
            b.bind(view);
            off = end;
        }
        this.stochastic = root.modules().stream().filter(m -> m instanceof Stochastic).map(m -> (Stochastic) m).toList();
    }

    /** Allocates and initializes {@code root}'s parameters and buffers; the tree starts in training mode. */
    public static Model build(Module root, DType dtype, InitScheme init, long seed) {
        return new Model(root, dtype, init, seed, false);
    }

    /**
     * Like {@link #build} but with no gradient block: the parameters are constants, for a copy that is
     * only ever evaluated (μP/NTK's frozen initial network), so it does not double the parameter memory.
     * Its {@link #gradients()} is null and {@link #zeroGrad()} does nothing.
     */
    public static Model buildFrozen(Module root, DType dtype, InitScheme init, long seed) {
        return new Model(root, dtype, init, seed, true);
    }

    /**
     * Moves the parameter, gradient and buffer blocks (and an output stage's frozen copy) into {@code backend}'s
     * memory when it computes in device memory, as torch's {@code model.to(device)}: from then on forward, backward
     * and the optimizer run there, and host code reads the weights through {@link #stateDictOnHost}. Weights are
     * copied as they are now, so initialize or load them first. Nothing for a host backend; once only.
     */
    public void place(Backend backend) {
        if (!backend.deviceMemory() || device != null) {
            return;
        }
        deviceScope = Scope.open();
        block.place(backend, deviceScope);
        Tensor onDevice = backend.place(bufferBlock, deviceScope);
        long off = 0;
        for (Buffer b : buffers.values()) {
            int end = Math.toIntExact(off + b.numel());
            b.rebind(onDevice.slice(0, (int) off, end).reshape(b.shape()));
            off = end;
        }
        bufferBlock = onDevice;
        device = backend;
        if (output != null) {
            output.place(backend);
        }
    }

    /** The device backend the model lives on ({@link #place}), or null when it lives in host memory. */
    public Backend device() {
        return device;
    }

    /**
     * {@link #stateDict()} readable by host code: the views themselves for a host model, else host copies in
     * {@code scope} (for writing weights and checkpoints of a model on a device).
     */
    public Map<String, Tensor> stateDictOnHost(Scope scope) {
        Map<String, Tensor> own = stateDict();
        if (device == null) {
            return own;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        own.forEach((k, t) -> out.put(k, device.toHost(t, scope)));
        return out;
    }

    public Module root() {
        return root;
    }

    public DType dtype() {
        return dtype;
    }

    public long seed() {
        return seed;
    }

    /**
     * y = root(x). In training mode this is one step: each stochastic module is reseeded from (seed,
     * its index, step) and the step count advances.
     */
    public Variable forward(Graph g, Variable x) {
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("Model.forward: input " + x + " has dtype " + x.dtype()
                    + " but the model's parameters are " + dtype);
        }
        if (root.training()) {
            for (int k = 0; k < stochastic.size(); k++) {
                stochastic.get(k).reseed(mix(seed, k, step));
            }
            step++;
        }
        Variable y = root.forward(g, x);
        return output == null ? y : output.apply(this, g, x, y);
    }

    /**
     * Installs the step that {@link #forward} applies after the root (once; the model closes it). Used
     * by optlab.models.param's parameterizations; a plain model has none.
     */
    public void setOutputStage(OutputStage stage) {
        java.util.Objects.requireNonNull(stage, "Model.setOutputStage: stage");
        if (output != null) {
            throw new IllegalStateException("Model.setOutputStage: the model already has an output stage " + output);
        }
        output = stage;
    }

    /** The output stage, or null when forward returns the root's output as it is. */
    public OutputStage outputStage() {
        return output;
    }

    /** Training-mode forwards so far. */
    public long step() {
        return step;
    }

    /** Sets the step (e.g. when resuming) so the next dropout masks match an uninterrupted run. */
    public void setStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("Model.setStep: step must be >= 0, got " + step);
        }
        this.step = step;
    }

    public void train() {
        root.train(true);
    }

    public void eval() {
        root.train(false);
    }

    public boolean training() {
        return root.training();
    }

    /** All parameter values as one contiguous 1-D tensor (what an optimizer steps over). */
    public Tensor parameters() {
        return block.values();
    }

    /** All gradients, same layout as {@link #parameters()}; null for a {@link #buildFrozen frozen} model. */
    public Tensor gradients() {
        return block.grads();
    }

    public ParameterBlock parameterBlock() {
        return block;
    }

    /** Number of trainable scalars (PyTorch's sum(p.numel() for p in model.parameters())). */
    public long numParameters() {
        return block.numel();
    }

    /**
     * Gradients to zero before a step, lazily ({@link ParameterBlock#discardGrads}): the backward pass
     * then writes them instead of adding, and {@link #gradients()} zeroes any it did not reach.
     */
    public void zeroGrad() {
        block.discardGrads();
    }

    public Map<String, Parameter> namedParameters() {
        return parameters;
    }

    public Map<String, Buffer> namedBuffers() {
        return buffers;
    }

    /** A parameter by dotted name, e.g. "0.weight". */
    public Parameter parameter(String name) {
        Parameter p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; have " + parameters.keySet());
        }
        return p;
    }

    /**
     * Like PyTorch's state_dict(): dotted name → view of every parameter and buffer, in PyTorch's order.
     * The views alias the model's blocks (writing into them sets the model). num_batches_tracked is
     * stored in the model's dtype (PyTorch: int64); {@link #int64Keys()} names such keys, which
     * checkpoint writers store as I64.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        root.visit("", (name, x) -> out.put(name, x instanceof Parameter p ? p.value() : ((Buffer) x).value()));
        return out;
    }

    /** The state-dict keys PyTorch holds as int64 (integral buffers such as num_batches_tracked), in order. */
    public java.util.Set<String> int64Keys() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        root.visit("", (name, x) -> {
            if (x instanceof Buffer b && b.integral()) {
                out.add(name);
            }
        });
        return out;
    }

    /**
     * Copies tensors into this model's parameters and buffers by name, like PyTorch's
     * load_state_dict(strict=True): every key of {@link #stateDict()} must be present with its shape,
     * and no other key may appear. Source dtypes may differ (values are converted). Nothing is written
     * unless every check passes.
     */
    public void loadStateDict(Map<String, Tensor> source) {
        Map<String, Tensor> own = stateDict();
        java.util.List<String> missing = own.keySet().stream().filter(k -> !source.containsKey(k)).toList();
        java.util.List<String> unexpected = source.keySet().stream().filter(k -> !own.containsKey(k)).toList();
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: missing keys " + missing + ", unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = source.get(e.getKey());
            if (!src.sameShape(e.getValue())) {
                throw new IllegalArgumentException("loadStateDict: '" + e.getKey() + "' has shape "
                        + java.util.Arrays.toString(src.shape()) + " in the source but "
                        + java.util.Arrays.toString(e.getValue().shape()) + " in the model");
            }
        }
        if (device == null) {
            own.forEach((k, dst) -> dst.copyFrom(source.get(k)));
        } else {
            try (Scope host = Scope.open()) { // another dtype is converted on the host first: devices copy bytes
                own.forEach((k, dst) -> {
                    Tensor src = source.get(k);
                    device.copy(src.dtype() == dst.dtype() || src.onDevice() ? src : host.copyOf(src, dst.dtype()), dst);
                });
            }
        }
    }

    /** Frees both blocks (and the output stage); views obtained from this model are invalid afterwards. */
    @Override
    public void close() {
        try {
            if (output != null) {
                output.close();
            }
        } finally {
            if (deviceScope != null) {
                deviceScope.close();
            }
            scope.close();
        }
    }

    /** A well-mixed 64-bit seed from (seed, index, step): SplitMix64's finalizer over a combination. */
    static long mix(long seed, long index, long step) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1) + 0xC2B2AE3D27D4EB4FL * (step + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
