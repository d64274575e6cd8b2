package optlab.experiments.run;

import optlab.experiments.loop.ProbeSpec;
import optlab.optim.Optimizer;
import optlab.optim.PathSGD;

/**
 * What a run on a device backend ({@code --backend cuda}) can do yet, checked before anything runs so a run that
 * cannot work there is refused with one sentence naming the rule, probe or option, never computed wrongly or ended
 * by a stack trace midway. On the device: the per-element rules (the optim chains: SGD, momentum, Adam, AdamW,
 * RMSprop, Adagrad and their parameter groups, through {@link optlab.tensor.backend.Backend#update}), Path-SGD on
 * MLPs (its dense-chain step built from the backend's ops), the gradient-flow integrators (every Runge–Kutta
 * tableau, rk23 with its error norm, Adams–Bashforth: their passes from the backend's ops, and the loop's gradient
 * oracle evaluating the model where it lies), and the probes that read back scalars or host copies of the weights
 * or gradients. Not yet: Path-SGD on other networks and the probes that measure on the host (Hessian, geometry).
 */
public final class DeviceSupport {
    /** Probes that work on a device: they read timings, optimizer scalars or host copies of weights or gradients. */
    private static final java.util.Set<String> PROBES = java.util.Set.of("path_norm", "grad_norms", "timing",
            "optimizer_state");

    private DeviceSupport() {
    }

    /**
     * Throws a {@link ConfigException} on field "backend" when {@code backend} is a device one and the run of
     * {@code model} (a zoo spec) needs more.
     */
    public static void check(String backend, String model, Optimizer optimizer, boolean geometry,
            java.util.List<ProbeSpec> probes) {
        if (!backend.equals("cuda")) {
            return;
        }
        String rule = optimizer.name();
        if (optimizer instanceof PathSGD && !model.startsWith("mlp:")) {
            // A dense chain steps from the backend's ops (DevicePathStep); other networks' κ is a host computation.
            throw refuse("the optimizer " + rule + " on " + model, "on a device Path-SGD runs on MLPs (dense chains)");
        }
        if (geometry) {
            throw refuse("geometry runs", "the path geometry probes read parameters on the host");
        }
        for (ProbeSpec p : probes) {
            if (!PROBES.contains(p.name())) {
                throw refuse("the " + p.name() + " probe", "it reads parameters or gradients on the host; "
                        + String.join(", ", PROBES.stream().sorted().toList()) + " do run there");
            }
        }
    }

    private static ConfigException refuse(String what, String why) {
        return new ConfigException("backend", "--backend cuda does not run " + what + " yet (" + why + "); use --backend cpu");
    }
}
