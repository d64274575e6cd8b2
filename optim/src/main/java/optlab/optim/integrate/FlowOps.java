package optlab.optim.integrate;

import optlab.optim.OptimizerState;
import optlab.optim.internal.DeviceFlowKernels;
import optlab.optim.internal.FlowKernels;
import optlab.tensor.Tensor;

/**
 * The integrators' passes where the block lies: host blocks run the fused {@link FlowKernels} on the state's team
 * (unchanged, allocation-free), device blocks the same operations from the state's backend ops
 * ({@link DeviceFlowKernels}: the host's bits for combinations and stage passes; the error norm's sum to the dtype's
 * precision). {@link Steps#check} has made sure a device block's state runs on a device backend.
 */
final class FlowOps {
    private FlowOps() {
    }

    /** dst = src. */
    static void copy(OptimizerState state, Tensor dst, Tensor src) {
        if (dst.onDevice()) {
            state.backend().copy(src, dst);
        } else {
            FlowKernels.copy(dst, src);
        }
    }

    /** out = Σ_j c[j]·v[j] (fma in input order); out may be v[0], no other input. */
    static void combine(OptimizerState state, Tensor out, double[] c, Tensor... v) {
        if (out.onDevice()) {
            DeviceFlowKernels.combine(state.backend(), out, c, v);
        } else {
            FlowKernels.combine(state.team(), out, c, v);
        }
    }

    /** One chain Runge–Kutta stage pass ({@link FlowKernels#stage}). */
    static void stage(OptimizerState state, FlowKernels.StageMode mode, Tensor p, Tensor w0, Tensor d, Tensor g,
            double b, double a) {
        if (p.onDevice()) {
            DeviceFlowKernels.stage(state.backend(), mode, p, w0, d, g, b, a);
        } else {
            FlowKernels.stage(state.team(), mode, p, w0, d, g, b, a);
        }
    }
}
