package optlab.optim.integrate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.optim.OptimizerState;
import optlab.optim.transform.StateBuffer;
import optlab.tensor.Tensor;

/** Bookkeeping the integrators share: their state's layout, block checks, the evaluation count, spec text. */
final class Steps {
    private Steps() {
    }

    /** A fresh state with these saved buffers and scalars, {@link FlowIntegrator#EVALUATIONS} first at 0. */
    static OptimizerState init(String op, Tensor params, List<StateBuffer> buffers, Map<String, Double> scalars) {
        if (!params.isContiguous()) {
            throw new IllegalArgumentException(op + ": params must be a contiguous block, got a strided view "
                    + params.dtype() + Arrays.toString(params.shape()));
        }
        Map<String, Double> all = new LinkedHashMap<>();
        all.put(FlowIntegrator.EVALUATIONS, 0.0);
        all.putAll(scalars);
        return OptimizerState.of(params, buffers, all);
    }

    /** Checks a step's blocks against each other and the state; the scalars must be the ones init made. */
    static void check(String op, OptimizerState state, Tensor params, Tensor grads, List<StateBuffer> buffers,
            List<String> scalars) {
        for (Tensor t : new Tensor[] {params, grads}) {
            if (t == null) {
                throw new NullPointerException(op + ": " + (t == params ? "params" : "grads") + " is null");
            }
            if (!t.isContiguous()) {
                throw new IllegalArgumentException(op + ": " + (t == params ? "params" : "grads")
                        + " must be a contiguous block, got a strided view " + t.dtype() + Arrays.toString(t.shape()));
            }
        }
        boolean device = state.backend() != null && state.backend().deviceMemory();
        if (params.onDevice() != device || grads.onDevice() != device) {
            throw new IllegalArgumentException(op + ": params (" + where(params) + ") and grads (" + where(grads)
                    + ") must both lie where the state runs (" + (state.backend() == null ? "the host; for a device"
                    + " block call state.runOn(backend)" : state.backend().name()) + ")");
        }
        if (params.dtype() != grads.dtype() || params.numel() != grads.numel()) {
            throw new IllegalArgumentException(op + ": grads " + grads.dtype() + Arrays.toString(grads.shape())
                    + " do not match params " + params.dtype() + Arrays.toString(params.shape()));
        }
        state.checkFits(op, params, buffers);
        List<String> want = new java.util.ArrayList<>();
        want.add(FlowIntegrator.EVALUATIONS);
        want.addAll(scalars);
        if (!state.scalarNames().equals(want)) {
            throw new IllegalArgumentException(op + ": state holds scalars " + state.scalarNames()
                    + " but this optimizer keeps " + want);
        }
    }

    private static String where(Tensor t) {
        return t.onDevice() ? "device memory" : "host memory";
    }

    /** The failure of a rule with trial stages stepped without an oracle. */
    static UnsupportedOperationException needsOracle(String name) {
        return new UnsupportedOperationException(name + " needs a gradient oracle (torch's closure) to evaluate the"
                + " gradient at its trial points: call step(state, params, grads, lr, oracle)");
    }

    /** Adds {@code n} gradient evaluations to the state's count. */
    static void count(OptimizerState state, int n) {
        state.setScalar(FlowIntegrator.EVALUATIONS, state.scalar(FlowIntegrator.EVALUATIONS) + n);
    }

    /** "name:k1=v1,k2=v2", as optlab.optim's specs are written. */
    static String spec(String name, Object... kv) {
        StringBuilder sb = new StringBuilder(name).append(':');
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(i > 0 ? "," : "").append(kv[i]).append('=').append(kv[i + 1]);
        }
        return sb.toString();
    }

    /** Rejects negative values and NaN with torch.optim's message ("Invalid learning rate: -1.0"). */
    static void nonNegative(String what, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + v);
        }
    }
}
