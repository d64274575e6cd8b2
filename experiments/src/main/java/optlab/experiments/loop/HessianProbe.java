package optlab.experiments.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import optlab.experiments.analysis.ModelHessian;
import optlab.experiments.data.Dataset;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The top Hessian eigenvalue λ_max of the training loss at the end of a run: {@link ModelHessian} (power iteration on
 * central finite differences of gradients, not double backward) on a fixed batch, the first {@code samples} held-out
 * samples, so every run of a sweep is measured on the same samples. The loss is the run's own objective (for μP, the
 * centered, 1/γ0-scaled output). With lr = N·η0 the edge of stability is λ_max ≈ 2/lr. NaN when the run diverged or
 * the finite-difference products overflow (a run that ended on the brink of divergence). Summary field
 * {@code hessian_top}.
 */
public final class HessianProbe implements Probe {
    private final int samples;
    private final int iterations;
    private final double tol;
    private RunContext run;
    private double top = Double.NaN;

    public HessianProbe(int samples, int iterations, double tol) {
        if (samples < 1 || iterations < 1 || !(tol >= 0)) {
            throw new IllegalArgumentException("hessian_top: samples and iterations must be >= 1 and tol >= 0, got "
                    + samples + ", " + iterations + ", " + tol);
        }
        this.samples = samples;
        this.iterations = iterations;
        this.tol = tol;
    }

    @Override
    public String name() {
        return "hessian_top";
    }

    @Override
    public void start(RunContext run) {
        if (run.heldOut() == null) {
            throw new IllegalArgumentException("hessian_top: the run has no held-out set to measure on");
        }
        this.run = run;
    }

    @Override
    public void atEnd(LoopResult r) {
        if (r.diverged()) {
            return;
        }
        Dataset rows = run.heldOut().rows(0, Math.min(samples, run.heldOut().size()));
        try (Scope scope = Scope.open()) {
            Tensor x = rows.featureRows(0, rows.size(), scope); // 8-bit images decoded here
            top = ModelHessian.top(run.model(), run.backend(),
                    g -> run.objective().batchLoss(g, run.model(), x, rows.targets()), iterations, tol, run.seed())
                    .eigenvalue();
        } catch (IllegalStateException e) {
            top = Double.NaN; // finite but on the brink (weights about to overflow): no usable curvature
        }
    }

    /** λ_max, or NaN. */
    public double top() {
        return top;
    }

    @Override
    public void summarize(ObjectNode summary) {
        if (Double.isNaN(top)) {
            summary.putNull("hessian_top");
        } else {
            summary.put("hessian_top", top);
        }
    }
}
