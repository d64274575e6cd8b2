package optlab.optim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;

/**
 * A device backend's fused optimizer updates ({@link Backend#update}) against the host kernels, bit for bit: every
 * per-element rule and a parameter-group split stepped four times on an awkward length with parameters, gradients
 * and state on the device, then parameters and saved state compared with the same steps on the host. The check a
 * machine without a JDK or JUnit runs (optlab gpu check); CudaUpdateTest is its JUnit twin on the stand-in. The
 * fixed-step gradient-flow integrators are checked the same way ({@link #FLOWS}).
 */
public final class UpdateCheck {
    /** The rules checked: every chain transform, flags on and off, and groups with their own lr and decay. */
    static final List<String> SPECS = List.of("sgd:lr=0.1", "sgd:lr=0.05,momentum=0.9,dampening=0.1,weight_decay=0.01",
            "sgd:lr=0.05,momentum=0.9,nesterov=true,maximize=true", "adam:lr=0.01",
            "adam:lr=0.01,amsgrad=true,weight_decay=0.1", "adamw:lr=0.01,weight_decay=0.05",
            "rmsprop:lr=0.01,momentum=0.5,centered=true", "rmsprop:lr=0.01",
            "adagrad:lr=0.1,lr_decay=0.01,initial_accumulator_value=0.1", "rmsprop-kurbiel:lr=0.01",
            "adamw:lr=1e-2,weight_decay=0.05;no_decay=bias;layers.0.*:lr=0.05");
    /**
     * The gradient-flow integrators whose device passes are the host's operations (optlab.optim.internal
     * .DeviceFlowKernels): chain and general tableaus, weight decay, momentum, Adams–Bashforth's variable steps. rk23
     * is not here: its error norm sums in another order (CudaFlowTest bounds it on the stand-in).
     */
    static final List<String> FLOWS = List.of("rk4:lr=0.05", "heun:lr=0.05,weight_decay=0.01",
            "rk:lr=0.05,a=[[0.5],[-1,2]],b=[0.2,0.6,0.2]", "rk4:lr=0.05,momentum=0.9,nesterov=true",
            "ab3:lr=0.05,momentum=0.9,weight_decay=0.01");
    /** Odd and prime: no whole tile or vector on the host, no whole block on the device. */
    static final int N = 100_003;

    private UpdateCheck() {
    }

    /** Runs every check on {@code device}, one line each; returns the number of failures. */
    public static int run(Backend device, PrintStream log) {
        int failures = 0;
        for (DType d : DType.values()) {
            for (String spec : SPECS) {
                String name = "update " + spec + " " + d;
                try {
                    String diff = compare(device, Optimizers.parse(spec), d);
                    log.println((diff == null ? "ok   " : "FAIL ") + name + (diff == null ? "" : ": " + diff));
                    failures += diff == null ? 0 : 1;
                } catch (RuntimeException e) {
                    log.println("FAIL " + name + ": " + e);
                    failures++;
                }
            }
        }
        for (DType d : DType.values()) {
            for (String spec : FLOWS) {
                String name = "flow " + spec + " " + d;
                try {
                    String diff = compareFlow(device, Optimizers.parse(spec), d);
                    log.println((diff == null ? "ok   " : "FAIL ") + name + (diff == null ? "" : ": " + diff));
                    failures += diff == null ? 0 : 1;
                } catch (RuntimeException e) {
                    log.println("FAIL " + name + ": " + e);
                    failures++;
                }
            }
        }
        log.println(failures == 0 ? "update check: all bitwise equal" : "update check: " + failures + " FAILED");
        return failures;
    }

    /** Null when the device's steps give the host's bits, else where they first differ. */
    static String compare(Backend device, Optimizer opt, DType dtype) {
        List<ParamRange> ranges = List.of(new ParamRange("layers.0.weight", "weight", 0, 77_777),
                new ParamRange("layers.0.bias", "bias", 77_777, 13), new ParamRange("head.weight", "weight", 77_790, N - 77_790));
        try (Scope host = Scope.open(); Scope onDevice = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(7);
            Tensor p = host.randn(dtype, rng, N), pDev = device.place(p, onDevice), g = device.empty(onDevice, dtype, N);
            try (OptimizerState sHost = opt.init(ParamSpace.of(p, ranges));
                 OptimizerState sDev = opt.init(ParamSpace.of(pDev, ranges)).runOn(device)) {
                for (int k = 0; k < 4; k++) {
                    Tensor grads = host.randn(dtype, rng, N);
                    opt.step(sHost, p, grads, 0.5 + k);
                    device.copy(grads, g);
                    opt.step(sDev, pDev, g, 0.5 + k);
                }
                Tensor back = device.toHost(pDev, host);
                for (int i = 0; i < N; i++) {
                    if (Double.doubleToRawLongBits(p.getFlat(i)) != Double.doubleToRawLongBits(back.getFlat(i))) {
                        return "p[" + i + "] " + back.getFlat(i) + ", host " + p.getFlat(i);
                    }
                }
                return java.util.Arrays.equals(saved(sHost), saved(sDev)) ? null : "the saved state differs";
            }
        }
    }

    /**
     * As {@link #compare} for an integrator stepped four times, the lr growing by a quarter each step, on the field
     * ∇L(w) = a ⊙ w (a in [0.5, 1.5)): one product per element, correctly rounded on the host (a double product of two
     * floats is exact, then rounded once) and by the device's MUL, so the oracles agree bit for bit.
     */
    static String compareFlow(Backend device, Optimizer opt, DType dtype) {
        try (Scope host = Scope.open(); Scope onDevice = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(9);
            Tensor p = host.randn(dtype, rng, N), a = host.empty(dtype, N);
            for (int i = 0; i < N; i++) {
                a.setFlat(i, 0.5 + rng.nextDouble());
            }
            Tensor pDev = device.place(p, onDevice), aDev = device.place(a, onDevice);
            Tensor g = host.empty(dtype, N), gDev = device.empty(onDevice, dtype, N);
            GradientOracle onHost = (w, out) -> {
                for (int i = 0; i < N; i++) {
                    out.setFlat(i, a.getFlat(i) * w.getFlat(i));
                }
            };
            GradientOracle onDev = (w, out) -> device.binary(optlab.tensor.backend.BinaryOp.MUL, aDev, w, out);
            try (OptimizerState sHost = opt.init(p); OptimizerState sDev = opt.init(pDev).runOn(device)) {
                for (int k = 0; k < 4; k++) {
                    double lr = opt.lr() * (1 + 0.25 * k);
                    onHost.gradient(p, g);
                    opt.step(sHost, p, g, lr, onHost);
                    onDev.gradient(pDev, gDev);
                    opt.step(sDev, pDev, gDev, lr, onDev);
                }
                Tensor back = device.toHost(pDev, host);
                for (int i = 0; i < N; i++) {
                    if (Double.doubleToRawLongBits(p.getFlat(i)) != Double.doubleToRawLongBits(back.getFlat(i))) {
                        return "p[" + i + "] " + back.getFlat(i) + ", host " + p.getFlat(i);
                    }
                }
                return java.util.Arrays.equals(saved(sHost), saved(sDev)) ? null : "the saved state differs";
            }
        }
    }

    private static byte[] saved(OptimizerState s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.save(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
