package optlab.experiments.loop;

import optlab.models.Model;
import optlab.models.ModelOracle;
import optlab.optim.GradientOracle;
import optlab.optim.OptimizerState;
import optlab.tensor.Tensor;

/**
 * What a {@link Probe} sees of the step in progress (one object, refilled every step): the step index t (updates done
 * before it), epoch, minibatch loss at w_t, learning rate, the batch, the model's parameter block (w_t after
 * backward, w_{t+1} after the update) and gradient block (g_t), and an oracle for gradients that does not disturb
 * the run.
 */
public final class StepView {
    private final Model model;
    private final Objective objective;
    private final ModelOracle probeOracle;
    private final OptimizerState state;
    private final optlab.tensor.backend.Backend backend;
    long step;
    int epoch;
    double loss;
    double lr;
    int batchSize;
    Tensor x, y;
    long modelStepBefore;
    private boolean bound;
    long stopAt = -1;
    String stopReason;
    long samples;
    long trainNanos;

    StepView(Model model, Objective objective, ModelOracle probeOracle, OptimizerState state,
            optlab.tensor.backend.Backend backend) {
        this.state = state;
        this.backend = backend;
        this.model = model;
        this.objective = objective;
        this.probeOracle = probeOracle;
    }

    void next(long step, int epoch, Tensor x, Tensor y, int batchSize, long modelStepBefore) {
        this.step = step;
        this.epoch = epoch;
        this.x = x;
        this.y = y;
        this.batchSize = batchSize;
        this.modelStepBefore = modelStepBefore;
        this.bound = false;
    }

    /** 0-based step: the number of updates before this one. */
    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }

    /** The minibatch loss at w_t (before the update). */
    public double loss() {
        return loss;
    }

    public double lr() {
        return lr;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The batch's inputs as stored [B, ...] (not yet shaped for the model). */
    public Tensor inputs() {
        return x;
    }

    public Tensor targets() {
        return y;
    }

    public Model model() {
        return model;
    }

    /** The run's backend: probes split long passes over its threads (a one-thread run uses one core). */
    public optlab.tensor.backend.Backend backend() {
        return backend;
    }

    /** The optimizer's state (read only: its step count, buffers and scalars such as rk23's step size). */
    public OptimizerState optimizerState() {
        return state;
    }

    /** The flat parameter block: w_t after backward, w_{t+1} after the update. */
    public Tensor params() {
        return model.parameters();
    }

    /**
     * The flat gradient block: g_t after backward. After the update it is still g_t for rules that do not
     * {@linkplain optlab.optim.Optimizer#needsOracle call an oracle}; those may leave their last evaluation in it.
     */
    public Tensor grads() {
        return model.gradients();
    }

    /**
     * The gradient of this step's minibatch loss at any parameters, with this step's dropout masks; it restores the
     * model's gradients, running statistics and step counter after each call, so the run goes on unchanged.
     */
    public GradientOracle oracle() {
        if (!bound) {
            probeOracle.bind(g -> objective.batchLoss(g, model, x, y), modelStepBefore);
            bound = true;
        }
        return probeOracle;
    }

    /**
     * The same kind of oracle for another batch (e.g. fixed batches drawn once at the start), drawing dropout as this
     * step did. Valid until the next call of this method or {@link #oracle()}.
     */
    public GradientOracle oracleFor(Tensor xOther, Tensor yOther) {
        probeOracle.bind(g -> objective.batchLoss(g, model, xOther, yOther), modelStepBefore);
        bound = false;
        return probeOracle;
    }

    /** Samples trained on so far (after the update). */
    public long samples() {
        return samples;
    }

    /** Seconds spent in steps so far (forward, backward, update; not evaluations or probes). */
    public double trainSeconds() {
        return trainNanos * 1e-9;
    }

    /** Ends the run as diverged at {@code atStep} (updates done), for {@code reason}; the first call wins. */
    public void stop(long atStep, String reason) {
        if (stopAt < 0) {
            stopAt = atStep;
            stopReason = reason;
        }
    }

    /** Whether a probe has ended the run. */
    public boolean stopped() {
        return stopAt >= 0;
    }
}
