package optlab.models.param;

import optlab.models.Model;
import optlab.models.OutputStage;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;

/**
 * The output stage of NTK and μP models: f(x) = (f_θ(x) − f_θ0(x))·scale, where f_θ0 is a frozen copy
 * of the network at initialization (the reference code's CenteredModel, whose second copy has
 * requires_grad off) and scale = 1/γ0. With no frozen copy it is the bare multiplier (the standard
 * parameterization with γ0 ≠ 1).
 *
 * <p>The frozen copy is a second {@link Model} of the same spec, dtype and seed whose parameters are
 * copied from the trainable model right after initialization; it is built {@link Model#buildFrozen frozen}
 * (constants, no gradient block). It runs on a no-grad graph sharing the
 * caller's scope (unless the input itself needs a gradient), so it records no tape, contributes no
 * gradient to the trainable parameters and is not in the trainable model's parameters or state dict: θ0 is a pure function of (spec, dtype, seed) and a rebuilt model has it
 * bit for bit, unless the run loads its starting weights, when {@link #rebase} makes θ0 those weights. It follows the trainable model's mode and step (same dropout masks, so f ≡ 0 at
 * initialization also with dropout). Its own BatchNorm running statistics update in training mode as
 * in the reference (model.train() covers both copies); they are not saved in the state dict.
 */
final class Centering implements OutputStage {
    private final Model frozen;
    private final double scale;

    /** {@code frozen} may be null (scale only); the stage owns and closes it. */
    Centering(Model frozen, double scale) {
        this.frozen = frozen;
        this.scale = scale;
    }

    @Override
    public Variable apply(Model model, Graph g, Variable x, Variable y) {
        Variable out = y;
        if (frozen != null) {
            if (frozen.training() != model.training()) {
                if (model.training()) {
                    frozen.train();
                } else {
                    frozen.eval();
                }
            }
            // The trainable forward already advanced the step; the copy reuses the same one.
            frozen.setStep(model.training() ? model.step() - 1 : model.step());
            Variable y0;
            if (x.requiresGrad() && g.recording()) {
                // Rare (input gradients): f_θ0 depends on x too, so it must be on the tape; its parameters
                // are constants, so only x receives a gradient through it.
                y0 = frozen.forward(g, x);
            } else {
                try (Graph plain = Graph.noGrad(g.backend(), g.scope())) {
                    y0 = Variable.constant(frozen.forward(plain, x.isLeaf() ? x : Variable.constant(x.value())).value());
                }
            }
            out = g.sub(out, y0);
        }
        return scale == 1 ? out : g.mulScalar(out, scale);
    }

    /**
     * Makes the frozen copy the model's current network (parameters and buffers), as the reference's
     * {@code CenteredModel} deep-copies the network it is given: after loading weights the run starts from them.
     */
    @Override
    public void rebase(Model model) {
        if (frozen != null) {
            frozen.loadStateDict(model.stateDict());
        }
    }

    @Override
    public void place(optlab.tensor.backend.Backend backend) {
        if (frozen != null) {
            frozen.place(backend);
        }
    }

    /** The frozen initial network, or null (read-only use: tests, diagnostics). */
    Model frozen() {
        return frozen;
    }

    @Override
    public void close() {
        if (frozen != null) {
            frozen.close();
        }
    }

    @Override
    public String toString() {
        return frozen == null ? "Scale(" + scale + ")" : "Centering(frozen initial copy, scale=" + scale + ")";
    }
}
