package optlab.optim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import optlab.optim.internal.Kernels;
import optlab.optim.transform.AddDecayedWeights;
import optlab.optim.transform.InverseTimeDecay;
import optlab.optim.transform.Momentum;
import optlab.optim.transform.Scale;
import optlab.optim.transform.ScaleByAdam;
import optlab.optim.transform.ScaleByRms;
import optlab.optim.transform.ScaleByRmsSeeded;
import optlab.optim.transform.ScaleBySumOfSquares;
import optlab.optim.transform.StateBuffer;
import optlab.optim.transform.Transform;
import optlab.tensor.Tensor;
import optlab.tensor.update.UpdateStage;
import optlab.tensor.update.UpdateStage.Kind;

/**
 * An update rule as a chain of transforms, run as one fused pass over the flat parameter block:
 * u = g, each transform rewrites u in order, then p ← p − lr·u. This is where the per-step scalars
 * (bias corrections, first-step momentum, lr decay) are computed; the per-element formulas live in
 * the kernels ({@link UpdateStage.Kind} documents them).
 *
 * @param name the optimizer's name, for messages
 */
public record Chain(String name, List<Transform> transforms) {
    /**
     * The start every torch rule shares: g ← −g when maximizing, then g ← g + λp (L2 weight decay folded
     * into the gradient; AdamW decays the weights instead and does not use this). Returns a mutable
     * list for the rule's own transforms to follow.
     */
    static List<Transform> gradientPrelude(boolean maximize, double weightDecay) {
        List<Transform> t = new ArrayList<>();
        if (maximize) {
            t.add(new Scale(-1));
        }
        if (weightDecay != 0) {
            t.add(new AddDecayedWeights(weightDecay));
        }
        return t;
    }

    public Chain {
        transforms = List.copyOf(transforms);
        Set<String> seen = new HashSet<>();
        for (Transform t : transforms) {
            for (StateBuffer b : t.buffers()) {
                if (!seen.add(b.name())) {
                    throw new IllegalArgumentException(name + ": two transforms keep state named '" + b.name() + "'");
                }
            }
        }
    }

    /** All state buffers, in chain order. */
    public List<StateBuffer> buffers() {
        List<StateBuffer> all = new ArrayList<>();
        for (Transform t : transforms) {
            all.addAll(t.buffers());
        }
        return all;
    }

    /** Fresh state (step 0) for a flat parameter block shaped like {@code params}. */
    public OptimizerState init(Tensor params) {
        FlatBlock.check(name + ".init", "params", params);
        return new OptimizerState(params.dtype(), params.numel(), buffers());
    }

    /** One step with learning rate {@code lr}: advances the state's step counter, then updates p in place. */
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr) {
        String op = name + ".step";
        FlatBlock.checkStep(op, state, params, grads, buffers());
        long t = state.advance();
        Kernels.update(state.backend(), state.team(), stages(t, state), lr, params, grads);
    }

    /**
     * The transforms lowered for step t (1-based) over the state's full-block buffers; {@link ParamGroups} slices
     * them per range. The state must hold every buffer this chain keeps.
     */
    UpdateStage[] stages(long t, OptimizerState state) {
        UpdateStage[] stages = new UpdateStage[transforms.size()];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = lower(transforms.get(i), t, state);
        }
        return stages;
    }

    /** The transform's formula and coefficients at step t (1-based). */
    private static UpdateStage lower(Transform tr, long t, OptimizerState s) {
        return switch (tr) {
            case Scale x -> UpdateStage.of(Kind.SCALE, x.factor());
            case InverseTimeDecay x -> UpdateStage.of(Kind.SCALE, 1 / (1 + (t - 1) * x.decay()));
            case AddDecayedWeights x -> UpdateStage.of(Kind.ADD_DECAYED_WEIGHTS, x.weightDecay());
            case Momentum x -> {
                // First step: b = u exactly (0·0 + 1·u), as torch clones the gradient into the buffer.
                double keep = t == 1 ? 0 : x.momentum(), take = t == 1 ? 1 : 1 - x.dampening();
                double[] c = x.nesterov() ? new double[] {keep, take, 1, x.momentum()} : new double[] {keep, take, 0, 1};
                yield new UpdateStage(Kind.MOMENTUM, c, s.tensors(x.buffers()), false);
            }
            case ScaleByAdam x -> {
                double bc1 = 1 - Math.pow(x.beta1(), t), bc2 = 1 - Math.pow(x.beta2(), t);
                double[] c = {x.beta1(), 1 - x.beta1(), x.beta2(), 1 - x.beta2(), 1 / bc1, 1 / Math.sqrt(bc2), x.eps()};
                var bufs = s.tensors(x.buffers());
                yield new UpdateStage(Kind.ADAM, c, x.amsgrad() ? bufs : new Tensor[] {bufs[0], bufs[1], null},
                        x.amsgrad());
            }
            case ScaleByRms x -> {
                var bufs = s.tensors(x.buffers());
                yield new UpdateStage(Kind.RMS, new double[] {x.alpha(), 1 - x.alpha(), x.eps(), 1},
                        x.centered() ? bufs : new Tensor[] {bufs[0], null}, x.centered());
            }
            case ScaleByRmsSeeded x -> {
                // First step: s = u², u unchanged (divided by 0·√s + 1); then RMSprop's s and u/(√s + ε).
                double[] c = t == 1 ? new double[] {0, 1, 1, 0} : new double[] {x.rho(), 1 - x.rho(), x.eps(), 1};
                yield new UpdateStage(Kind.RMS, c, new Tensor[] {s.tensors(x.buffers())[0], null}, false);
            }
            case ScaleBySumOfSquares x -> new UpdateStage(Kind.SUM_OF_SQUARES, new double[] {x.eps()}, s.tensors(x.buffers()),
                    false);
        };
    }
}
