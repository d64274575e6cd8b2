package optlab.tensor.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernels of kernels.cu, compiled by NVRTC for one device (its compute capability) into a module loaded
 * in the device's primary context; compiled once per device per process and kept, with each kernel's handle
 * looked up once.
 */
final class KernelModule {
    private static final Map<Integer, KernelModule> BY_DEVICE = new ConcurrentHashMap<>();

    private final Driver driver;
    private final long module;
    private final Map<String, Long> functions = new ConcurrentHashMap<>();

    private KernelModule(Driver driver, long module) {
        this.driver = driver;
        this.module = module;
    }

    /** The module of {@code device}, compiling it on first use. */
    static KernelModule of(CudaLibrarySet libs, int device) {
        return BY_DEVICE.computeIfAbsent(device, d -> {
            int major = libs.driver().attribute(Driver.ATTRIBUTE_CC_MAJOR, d);
            int minor = libs.driver().attribute(Driver.ATTRIBUTE_CC_MINOR, d);
            String ptx = libs.nvrtc().compile(source(), "optlab_kernels.cu",
                    // No contraction of a·b + c into FMAs the host does not make: updates keep the CPU's bits.
                    List.of("--gpu-architecture=compute_" + major + minor, "--fmad=false"));
            return new KernelModule(libs.driver(), libs.driver().loadModule(ptx));
        });
    }

    /** The full program: the CUDA prelude, then kernels.cu once for float and once for double. */
    static String source() {
        String kernels = resource("kernels.cu");
        return resource("prelude.cuh") + "\n#define OPTLAB_F64 0\n" + kernels + "\n#undef OPTLAB_F64\n#define OPTLAB_F64 1\n"
                + kernels;
    }

    private static String resource(String name) {
        try (InputStream in = KernelModule.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + name + " is missing from optlab.tensor");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CUfunction named {@code name}. */
    long function(String name) {
        return functions.computeIfAbsent(name, n -> driver.function(module, n));
    }
}
