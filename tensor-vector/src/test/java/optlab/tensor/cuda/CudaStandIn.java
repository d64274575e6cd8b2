package optlab.tensor.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CUDA stand-in for tests: src/test/resources/cuda-standin/standin.c (which includes the backend's own
 * kernels.cu) built with gcc into target/cuda-standin once per JVM, and the bindings pointed at it through
 * {@value CudaLibraries#OVERRIDE}. Without gcc the calling test is skipped with a message.
 */
final class CudaStandIn {
    private static Path library;
    private static String failure;
    private static MethodHandle liveAllocations, launches, transfers;

    private CudaStandIn() {
    }

    /** Builds (once) and installs the stand-in, or skips the test when gcc is absent. */
    static synchronized void install() {
        if (library == null && failure == null) {
            build();
        }
        assumeTrue(failure == null, failure);
        System.setProperty(CudaLibraries.OVERRIDE, library.toString());
    }

    private static void build() {
        Path source = Path.of("src/test/resources/cuda-standin/standin.c").toAbsolutePath();
        Path kernels = Path.of("src/main/resources/optlab/tensor/cuda").toAbsolutePath();
        Path out = Path.of("target/cuda-standin/libcudastandin.so").toAbsolutePath();
        try {
            Files.createDirectories(out.getParent());
            Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-ffp-contract=off", "-Wall", "-Werror", "-I", kernels.toString(),
                    source.toString(), "-o", out.toString(), "-lm", "-ldl").redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("gcc failed to build the CUDA stand-in:\n" + log);
            }
        } catch (IOException e) {
            failure = "gcc is not available (" + e.getMessage() + "): skipping the CUDA stand-in tests";
            System.err.println(failure);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        library = out;
        SymbolLookup lib = SymbolLookup.libraryLookup(out, Arena.global());
        FunctionDescriptor counter = FunctionDescriptor.of(ValueLayout.JAVA_LONG);
        liveAllocations = Linker.nativeLinker().downcallHandle(lib.find("standinLiveAllocations").orElseThrow(), counter);
        launches = Linker.nativeLinker().downcallHandle(lib.find("standinLaunches").orElseThrow(), counter);
        transfers = Linker.nativeLinker().downcallHandle(lib.find("standinTransfers").orElseThrow(), counter);
    }

    /** Device allocations not yet freed. */
    static long liveAllocations() {
        try {
            return (long) liveAllocations.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Copies between host and device so far. */
    static long transfers() {
        try {
            return (long) transfers.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Kernel launches so far. */
    static long launches() {
        try {
            return (long) launches.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
