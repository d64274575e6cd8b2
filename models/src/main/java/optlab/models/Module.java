package optlab.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import optlab.models.init.Role;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * A node of the model tree, as torch.nn.Module: it declares named {@link Parameter}s and
 * {@link Buffer}s and named child modules in its constructor, and computes {@link #forward} from
 * autodiff primitives. Dotted names ("layer1.0.conv1.weight") and their order follow PyTorch's
 * state_dict: a module's own parameters, then its own buffers, then each child in declaration order.
 * Declaring only records shapes; memory comes later, all at once, from a {@link Model}.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Subclasses declare their parameters, buffers and children in their constructors. */
    protected Module() {
    }

    /** y = module(x) on graph g; parameters enter as their {@link Parameter#variable()}s. */
    public abstract Variable forward(Graph g, Variable x);

    /** Declares a parameter of the given shape; {@code fanIn} is what initializers scale by. */
    protected final Parameter parameter(String name, Role role, int fanIn, int... shape) {
        claim(name);
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                        + "' needs positive sizes, got " + java.util.Arrays.toString(shape));
            }
        }
        Parameter p = new Parameter(name, role, fanIn, shape);
        parameters.put(name, p);
        return p;
    }

    /** Declares a buffer starting at {@code initial} everywhere. */
    protected final Buffer buffer(String name, double initial, int... shape) {
        claim(name);
        Buffer b = new Buffer(name, initial, shape);
        buffers.put(name, b);
        return b;
    }

    /** Declares a scalar counter starting at 0, int64 in PyTorch's state_dict (e.g. num_batches_tracked). */
    protected final Buffer counter(String name) {
        claim(name);
        Buffer b = new Buffer(name, 0, true, new int[0]);
        buffers.put(name, b);
        return b;
    }

    /** Registers {@code module} as child {@code name} and returns it. */
    protected final <M extends Module> M child(String name, M module) {
        claim(name);
        children.put(name, java.util.Objects.requireNonNull(module, "child " + name));
        return module;
    }

    private void claim(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid name '" + name
                    + "' (non-empty, no dots)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already used");
        }
    }

    /** Training mode (batch statistics, dropout on) or evaluation mode, for this module and all below. */
    public final void train(boolean on) {
        training = on;
        for (Module c : children.values()) {
            c.train(on);
        }
    }

    public final boolean training() {
        return training;
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** All parameters below and at this module, by dotted name, in state_dict order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        visit("", (name, x) -> {
            if (x instanceof Parameter p) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** All buffers, by dotted name, in state_dict order. */
    public final Map<String, Buffer> namedBuffers() {
        Map<String, Buffer> out = new LinkedHashMap<>();
        visit("", (name, x) -> {
            if (x instanceof Buffer b) {
                out.put(name, b);
            }
        });
        return out;
    }

    /** This module and every descendant, depth first in declaration order. */
    public final List<Module> modules() {
        List<Module> out = new ArrayList<>();
        collect(out);
        return out;
    }

    private void collect(List<Module> out) {
        out.add(this);
        for (Module c : children.values()) {
            c.collect(out);
        }
    }

    /** Calls {@code f} with each parameter and buffer and its dotted name, in state_dict order. */
    final void visit(String prefix, BiConsumer<String, Object> f) {
        parameters.forEach((n, p) -> f.accept(prefix + n, p));
        buffers.forEach((n, b) -> f.accept(prefix + n, b));
        children.forEach((n, c) -> c.visit(prefix + n + ".", f));
    }

    /** Names this module and its input, for error messages ("Linear(in=4, out=3)"). */
    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
