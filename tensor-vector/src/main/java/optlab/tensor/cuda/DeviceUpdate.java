package optlab.tensor.cuda;

import optlab.tensor.Tensor;
import optlab.tensor.internal.Checks;
import optlab.tensor.update.UpdateStage;

/**
 * The arguments of kernels.cu's fused_update, which runs a whole optimizer step in one pass: u = g, stage k rewrites u
 * and its buffers (formula {@code kind[k]}, coefficients {@code c[k][..]}, buffers {@code buf[k][..]}), then
 * p = fma(u, −lr, p). The kernel switches on {@link UpdateStage.Kind} ordinals, so the enum is only ever appended to.
 */
final class DeviceUpdate {
    /** Stages one launch takes (kernels.cu's MAX_STAGES); a longer chain is refused. */
    static final int MAX_STAGES = 8;
    /** Coefficients and buffers per stage in the argument struct. */
    static final int COEFFICIENTS = 8, BUFFERS = 3;

    private DeviceUpdate() {
    }

    /** The FusedUpdate struct for {@code stages}, every operand checked to lie on the device beside the parameters. */
    static KernelArgs args(UpdateStage[] stages, double lr, Tensor params, Tensor grads) {
        if (stages.length > MAX_STAGES) {
            throw new IllegalArgumentException("update: " + stages.length + " stages exceed the cuda kernel's limit of "
                    + MAX_STAGES);
        }
        operand("grads", grads, params);
        KernelArgs args = new KernelArgs().i64(params.numel()).i64(stages.length).f64(lr)
                .ptr(CudaBackend.rawAddress(params)).ptr(CudaBackend.rawAddress(grads));
        for (int k = 0; k < MAX_STAGES; k++) {
            args.i64(k < stages.length ? stages[k].kind().ordinal() : 0);
        }
        for (int k = 0; k < MAX_STAGES; k++) {
            args.i64(k < stages.length && stages[k].flag() ? 1 : 0);
        }
        for (int k = 0; k < MAX_STAGES; k++) {
            double[] c = k < stages.length ? stages[k].c() : new double[0];
            if (c.length > COEFFICIENTS) {
                throw new IllegalArgumentException("update: stage " + stages[k] + " has more than " + COEFFICIENTS
                        + " coefficients");
            }
            for (int j = 0; j < COEFFICIENTS; j++) {
                args.f64(j < c.length ? c[j] : 0);
            }
        }
        for (int k = 0; k < MAX_STAGES; k++) {
            for (int j = 0; j < BUFFERS; j++) {
                Tensor b = k < stages.length && j < stages[k].buffers().length ? stages[k].buffers()[j] : null;
                if (b != null) {
                    operand(stages[k].kind() + " buffer " + j, b, params);
                }
                args.ptr(b == null ? 0 : CudaBackend.rawAddress(b));
            }
        }
        return args;
    }

    /** An update operand must lie on the device beside the parameters, contiguous, of their length and dtype. */
    private static void operand(String what, Tensor t, Tensor params) {
        if (!t.onDevice() || !t.isContiguous() || t.numel() != params.numel() || t.dtype() != params.dtype()
                || !params.isContiguous()) {
            throw new IllegalArgumentException("update: " + what + " " + Checks.describe(t)
                    + " must be a contiguous device tensor like the parameters " + Checks.describe(params));
        }
    }
}
