package optlab.models;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;

/**
 * All parameters of a model in one contiguous off-heap vector, and their gradients in a second one of
 * the same layout (llm.c style): parameter i occupies elements [offset_i, offset_i + numel_i) of both,
 * in state_dict order with no padding, so an optimizer streams over flat memory and a checkpoint is
 * one write. Each {@link Parameter} is bound to a reshaped slice view of each block. A frozen block (a
 * model nothing trains, such as μP's initial copy) has no gradient block: its parameters are constants.
 */
public final class ParameterBlock {
    private Tensor values;
    private Tensor grads;
    /** The device backend the blocks live on ({@link #place}), or null for host memory. */
    private Backend device;
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final List<Parameter> bound = new java.util.ArrayList<>();

    /**
     * Allocates the values and, unless {@code frozen}, the zeroed gradients in {@code scope} and binds every
     * parameter to its slices (a frozen parameter's variable is a constant: no gradient reaches it).
     */
    ParameterBlock(Map<String, Parameter> parameters, DType dtype, Scope scope, boolean frozen) {
        long total = 0;
        for (Parameter p : parameters.values()) {
            total += p.numel();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ParameterBlock: " + total + " parameters exceed one tensor's 2^31-1 elements");
        }
        int n = (int) total;
        values = scope.zeros(dtype, n);
        grads = frozen ? null : scope.zeros(dtype, n);
        long off = 0;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            int end = (int) (off + p.numel());
            p.bind(values.slice(0, (int) off, end).reshape(p.shape()),
                    frozen ? null : grads.slice(0, (int) off, end).reshape(p.shape()));
            offsets.put(e.getKey(), off);
            bound.add(p);
            off = end;
        }
    }

    /**
     * Moves both blocks into {@code backend}'s device memory (leased for {@code scope}'s lifetime) and rebinds every
     * parameter to slices of the copies, so forward, backward and the optimizer run there without transfers. Values
     * are copied; gradients start as after {@link #zeroGrad}. Nothing for a backend that computes in host memory.
     */
    void place(Backend backend, Scope scope) {
        if (!backend.deviceMemory() || device != null) {
            return;
        }
        Tensor v = backend.place(values, scope);
        Tensor g = null;
        if (grads != null) {
            g = backend.empty(scope, grads.dtype(), grads.shape());
            backend.fill(g, 0);
        }
        var starts = offsets.values().iterator(); // bound and offsets share the block order
        for (Parameter p : bound) {
            int off = Math.toIntExact(starts.next()), end = Math.toIntExact(off + p.numel());
            p.rebind(v.slice(0, off, end).reshape(p.shape()), g == null ? null : g.slice(0, off, end).reshape(p.shape()));
        }
        values = v;
        grads = g;
        device = backend;
    }

    /** The parameters as one contiguous 1-D tensor. */
    public Tensor values() {
        return values;
    }

    /**
     * The gradients, same layout as {@link #values()}; null for a frozen block. Gradients discarded by
     * {@link #discardGrads} that no backward pass has written since are zeroed here first, so the block
     * reads as after {@link #zeroGrad}. Fetch it after the backward pass (a reference kept across
     * {@link #discardGrads} may show stale values for parameters the next pass does not reach).
     */
    public Tensor grads() {
        if (grads != null) {
            for (Parameter p : bound) {
                if (device == null) {
                    p.variable().grad();
                } else {
                    p.variable().grad(device);
                }
            }
        }
        return grads;
    }

    public long numel() {
        return values.numel();
    }

    /** Element offset of a parameter (by dotted name) in both blocks. */
    public long offset(String name) {
        Long off = offsets.get(name);
        if (off == null) {
            throw new IllegalArgumentException("ParameterBlock: no parameter '" + name + "' (have " + offsets.keySet() + ")");
        }
        return off;
    }

    /** Parameter names in block order. */
    public List<String> names() {
        return List.copyOf(offsets.keySet());
    }

    /** Whether this block has no gradients (its parameters are constants). */
    public boolean frozen() {
        return grads == null;
    }

    /** Sets every gradient to zero (one flat memset); nothing for a frozen block. */
    public void zeroGrad() {
        if (grads == null) {
            return;
        }
        if (device != null) {
            device.fill(grads, 0);
            return;
        }
        MemorySegment seg = grads.segment();
        long bytes = grads.dtype().byteSize();
        seg.asSlice(grads.offset() * bytes, grads.numel() * bytes).fill((byte) 0);
    }

    /**
     * Lets every gradient count as zero without writing the block (torch's {@code set_to_none}): the next
     * backward pass writes each parameter's gradient instead of adding to it, saving a pass over the
     * whole gradient memory per step; {@link #grads()} zeroes what no pass wrote. Nothing for a frozen block.
     */
    public void discardGrads() {
        if (grads != null) {
            for (Parameter p : bound) {
                p.variable().discardGrad();
            }
        }
    }

    @Override
    public String toString() {
        return "ParameterBlock(" + values.dtype() + Arrays.toString(values.shape()) + ", " + offsets.size() + " tensors"
                + (grads == null ? ", frozen)" : ")");
    }
}
