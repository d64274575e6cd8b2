package optlab.optim;

import java.util.List;
import optlab.optim.internal.HostOnly;
import optlab.optim.internal.Kernels;
import optlab.tensor.Tensor;
import optlab.tensor.update.UpdateStage;

/**
 * Path-SGD (Neyshabur, Salakhutdinov and Srebro, NIPS 2015): w_e ← w_e − lr·g_e/κ_e with
 * κ_e = ∂φ_p^p/∂|w_e|^p, the sum over the input→output paths through edge e of the product of the
 * other edges' |w|^p. For p = 2 this is steepest descent in the path-regularizer's geometry and the
 * trajectory is invariant to node rescaling (a hidden unit's incoming weights times c, outgoing times
 * 1/c). κ depends on the weights only, not on the data: it is recomputed every step from the
 * model's {@link PathStructure} (one forward and one backward pass of the |w|^p network). Where
 * κ_e = 0 no path runs through e (so ∂L/∂w_e = 0 as well) and the entry does not move. No momentum or
 * weight decay, as in the paper.
 *
 * <p>The structure comes from the {@link ParamSpace} at {@link #init(ParamSpace)} (a model's space asks
 * the model; a bare tensor has none, and init says so). The saved state is just the step count; the
 * structure is an unsaved attachment that {@link #resume} puts back after {@link OptimizerState#load}.
 *
 * @param lr the step size η
 * @param p  the exponent of the path norm, finite and &gt; 0 (2 in the paper; node-rescaling invariance
 *           holds for p = 2 only)
 */
public record PathSGD(double lr, double p) implements Optimizer {

    public PathSGD {
        Hyper.nonNegative("learning rate", lr);
        if (!(p > 0 && Double.isFinite(p))) {
            throw new IllegalArgumentException("Invalid path norm exponent p: " + Hyper.format(p)
                    + " (path-sgd needs a finite p > 0)");
        }
    }

    /** The paper's p = 2. */
    public PathSGD(double lr) {
        this(lr, 2);
    }

    public PathSGD withLr(double lr) {
        return new PathSGD(lr, p);
    }

    @Override
    public String name() {
        return "path-sgd";
    }

    @Override
    public String spec() {
        return SpecArgs.spec(name(), "lr", lr, "p", p);
    }

    static PathSGD parse(SpecArgs a) {
        double lr = a.real("lr", 1e-2);
        double p = a.real("p", 2);
        a.finish();
        return new PathSGD(lr, p);
    }

    /** Fresh state (step 0, no buffers) stepping with the space's {@link ParamSpace#pathStructure()}. */
    @Override
    public OptimizerState init(ParamSpace space) {
        return init(space.values(), space.pathStructure());
    }

    /** Fresh state (step 0, no buffers) for {@code params}, stepping with {@code structure}'s κ. */
    public OptimizerState init(Tensor params, PathStructure structure) {
        FlatBlock.check(name() + ".init", "params", params);
        if (structure instanceof DensePaths d && d.numel() != params.numel()) {
            throw new IllegalArgumentException(name() + ".init: the structure " + d + " describes " + d.numel()
                    + " parameters, params hold " + params.numel());
        }
        OptimizerState s = new OptimizerState(params.dtype(), params.numel(), List.of());
        s.attach(PathContext.class, new PathContext(structure));
        return s;
    }

    /** Gives a loaded state the space's structure back. */
    @Override
    public OptimizerState resume(OptimizerState loaded, ParamSpace space) {
        loaded.checkFits(name() + ".resume", space.values(), List.of());
        loaded.attach(PathContext.class, new PathContext(space.pathStructure()));
        return loaded;
    }

    @Override
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr) {
        String op = name() + ".step";
        FlatBlock.checkStep(op, state, params, grads, List.of());
        PathContext ctx = state.attached(PathContext.class);
        if (ctx == null) {
            throw new IllegalStateException(op + ": this state has no path structure (a reloaded state?);"
                    + " call resume(state, space) first");
        }
        if (params.onDevice() && ctx.structure() instanceof DensePaths dense && state.backend() != null) {
            state.advance();
            dense.step(state.backend(), params, grads, p, lr); // from the backend's ops: see DevicePathStep
            return;
        }
        HostOnly.check(name() + " on a network that is not a dense chain", params, grads);
        state.advance();
        if (ctx.structure() instanceof DensePaths dense) {
            dense.step(params, grads, p, lr, state.team());
            return;
        }
        Tensor kappa = state.scratch("kappa");
        ctx.structure().kappa(params, p, kappa);
        UpdateStage divide = new UpdateStage(UpdateStage.Kind.DIVIDE, new double[0], new Tensor[] {kappa}, false);
        Kernels.update(state.backend(), state.team(), new UpdateStage[] {divide}, lr, params, grads);
    }
}
