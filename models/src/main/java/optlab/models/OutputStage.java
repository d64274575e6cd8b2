package optlab.models;

import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * A last step of {@link Model#forward} after the root module, for what is not a module: a
 * parameterization's centering by a frozen copy of the initial network and its output multiplier
 * (optlab.models.param). It holds no trainable parameters (the model's parameter block, gradients and
 * state dict are the root's alone) and is closed with the model.
 */
public interface OutputStage extends AutoCloseable {
    /**
     * The model's output from the root's output {@code y} for input {@code x} on graph {@code g};
     * {@code model} tells the mode and the step (already advanced by this forward in training mode).
     */
    Variable apply(Model model, Graph g, Variable x, Variable y);

    /**
     * The run starts from the model's current weights rather than its initialization (weights were loaded, e.g.
     * {@code --init-from}): a stage that keeps a copy of the starting network (μP/NTK centering) takes them, so the
     * centered output is 0 at step 0 again. The default keeps nothing.
     */
    default void rebase(Model model) {
    }

    /** The model moved to {@code backend}'s device memory ({@link Model#place}): a stage that keeps a network moves it too. */
    default void place(optlab.tensor.backend.Backend backend) {
    }

    /** Frees what the stage owns; the default owns nothing. */
    @Override
    default void close() {
    }
}
