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
 * machine without a JDK or JUnit runs (optlab gpu check); CudaUpdateTest is its JUnit twin on the stand-in.
 */
public final class UpdateCheck {
    /** The rules checked: every chain transform, flags on and off, and groups with their own lr and decay. */
    static final List<String> SPECS = List.of("sgd:lr=0.1", "sgd:lr=0.05,momentum=0.9,dampening=0.1,weight_decay=0.01",
            "sgd:lr=0.05,momentum=0.9,nesterov=true,maximize=true", "adam:lr=0.01",
            "adam:lr=0.01,amsgrad=true,weight_decay=0.1", "adamw:lr=0.01,weight_decay=0.05",
            "rmsprop:lr=0.01,momentum=0.5,centered=true", "rmsprop:lr=0.01",
            "adagrad:lr=0.1,lr_decay=0.01,initial_accumulator_value=0.1", "rmsprop-kurbiel:lr=0.01",
            "adamw:lr=1e-2,weight_decay=0.05;no_decay=bias;layers.0.*:lr=0.05");
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
