package optlab.tensor.backend;

import optlab.tensor.cpu.CpuBackend;
import optlab.tensor.cuda.CudaBackend;
import optlab.tensor.reference.ReferenceBackend;
import optlab.tensor.simd.VectorSupport;

/** Where backends come from. The caller owns the returned backend and closes it. */
public final class Backends {
    private Backends() {
    }

    /** The CPU backend using every available core. */
    public static Backend cpu() {
        return cpu(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The CPU backend with {@code threads} workers; with {@code -Doptlab.vector=scalar} forced, the
     * plain reference kernels instead (which need no {@code jdk.incubator.vector}).
     *
     * @throws UnsupportedOperationException when the Vector API module is not in the JVM (a class-path
     *     launch without {@code --add-modules jdk.incubator.vector}), with the sentence that says so
     */
    public static Backend cpu(int threads) {
        if (VectorSupport.scalarRequested()) {
            return new ReferenceBackend();
        }
        VectorSupport.require("the cpu backend");
        return new CpuBackend(threads);
    }

    /** Plain scalar loops: the oracle for tests. */
    public static Backend reference() {
        return new ReferenceBackend();
    }

    /**
     * The GPU backend on device 0 (cuBLAS and run-time-compiled kernels); throws {@link BackendUnavailableException}
     * with one sentence naming CUDA when the libraries, the driver or a device are missing.
     */
    public static Backend cuda() {
        return CudaBackend.open();
    }

    /** A backend by name: "cpu", "cuda" or "reference". */
    public static Backend byName(String name, int threads) {
        return switch (name) {
            case "cpu" -> cpu(threads);
            case "cuda" -> cuda();
            case "reference" -> reference();
            default -> throw new IllegalArgumentException("unknown backend '" + name + "' (known: cpu, cuda, reference)");
        };
    }
}
