package optlab.models;

import java.util.Arrays;
import optlab.models.init.Role;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Variable;

/**
 * A trainable tensor declared by a {@link Module}: its local name (a PyTorch state_dict key part such
 * as "weight"), shape, {@link Role} and fan-in. A {@link Model} later binds it to a slice of the
 * model's contiguous parameter block and the same slice of the gradient block; from then on
 * {@link #variable()} is the autodiff leaf whose gradient accumulates into that slice.
 */
public final class Parameter {
    private final String name;
    private final int[] shape;
    private final Role role;
    private final int fanIn;
    private Variable variable;

    Parameter(String name, Role role, int fanIn, int[] shape) {
        this.name = name;
        this.role = role;
        this.fanIn = fanIn;
        this.shape = shape.clone();
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public Role role() {
        return role;
    }

    /** The fan-in initializers scale by (for a bias: its weight's). */
    public int fanIn() {
        return fanIn;
    }

    public long numel() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Binds value and gradient views (same shape); called once by the model that owns the memory. A null
     * gradient (a frozen model) makes the variable a constant.
     */
    void bind(Tensor value, Tensor grad) {
        if (variable != null) {
            throw new IllegalStateException("parameter '" + name + "' already belongs to a model; a module tree can be"
                    + " built into one model only");
        }
        variable = grad == null ? Variable.constant(value) : Variable.parameter(value, grad);
    }

    /** Rebinds to new views of the model's memory (the model moved its blocks to a device); any gradient so far is dropped. */
    void rebind(Tensor value, Tensor grad) {
        variable = grad == null ? Variable.constant(value) : Variable.parameter(value, grad);
    }

    public boolean bound() {
        return variable != null;
    }

    /** The autodiff leaf: value is a view of the parameter block, gradient a view of the gradient block. */
    public Variable variable() {
        if (variable == null) {
            throw new IllegalStateException("parameter '" + name + "' " + Arrays.toString(shape)
                    + " has no memory yet: build the module tree into a Model first");
        }
        return variable;
    }

    public Tensor value() {
        return variable().value();
    }

    public Tensor grad() {
        return variable().grad();
    }

    @Override
    public String toString() {
        return "Parameter(" + name + Arrays.toString(shape) + ", " + role + ")";
    }
}
