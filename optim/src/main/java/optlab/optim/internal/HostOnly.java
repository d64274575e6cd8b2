package optlab.optim.internal;

import optlab.tensor.Tensor;

/**
 * The guard of rules whose kernels read host memory (Path-SGD's κ on networks other than dense chains): handed
 * device tensors they refuse with one sentence naming the rule, instead of failing deep inside a kernel. Runs refuse
 * them before starting (optlab.experiments.run.DeviceSupport); this is the library's own line. (The integrators and
 * gradient clipping run on a device from the backend's ops: {@link DeviceFlowKernels}.)
 */
public final class HostOnly {
    private HostOnly() {
    }

    /** Throws when any of {@code tensors} lies in device memory. */
    public static void check(String rule, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && t.onDevice()) {
                throw new UnsupportedOperationException(rule + " runs on the host only (its kernels read host memory),"
                        + " but " + t + " lies on a device; train it with --backend cpu");
            }
        }
    }
}
