package optlab.models;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * A named tensor of module state that is not trained (PyTorch's buffers, e.g. BatchNorm's
 * running_mean, running_var, num_batches_tracked): saved in the state dict, never optimized. A
 * {@link Model} binds it to a slice of its buffer block, filled with the initial value. An integral
 * buffer (a counter such as num_batches_tracked) is int64 in PyTorch: it lives in the model's float block
 * like the others (exact below 2^24 in F32, 2^53 in F64) and is written to checkpoints as I64.
 */
public final class Buffer {
    private final String name;
    private final int[] shape;
    private final double initial;
    private final boolean integral;
    private Tensor value;

    Buffer(String name, double initial, int[] shape) {
        this(name, initial, false, shape);
    }

    Buffer(String name, double initial, boolean integral, int[] shape) {
        this.name = name;
        this.initial = initial;
        this.integral = integral;
        this.shape = shape.clone();
    }

    /** Whether PyTorch holds this buffer as int64 (a counter). */
    public boolean integral() {
        return integral;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public double initial() {
        return initial;
    }

    public long numel() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    void bind(Tensor value) {
        if (this.value != null) {
            throw new IllegalStateException("buffer '" + name + "' already belongs to a model");
        }
        this.value = value;
    }

    /** Rebinds to a new view of the model's buffer block (the model moved it to a device). */
    void rebind(Tensor value) {
        this.value = value;
    }

    public Tensor value() {
        if (value == null) {
            throw new IllegalStateException("buffer '" + name + "' " + Arrays.toString(shape)
                    + " has no memory yet: build the module tree into a Model first");
        }
        return value;
    }

    @Override
    public String toString() {
        return "Buffer(" + name + Arrays.toString(shape) + ")";
    }
}
