package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * tensor-vector's CUDA stand-in (src/test/resources/cuda-standin/standin.c with the backend's kernels.cu) built with
 * gcc once per JVM for this module's tests, which all point the bindings at the same file: the CUDA libraries load
 * once per JVM, so every test class must see the library that is loaded. Without gcc the calling test is skipped.
 */
final class CudaStandInLibrary {
    private static Path built;

    private CudaStandInLibrary() {
    }

    /** The library, built on first use (into a new file moved in place: a mapped library is never rewritten). */
    static synchronized Path path() throws Exception {
        if (built == null) {
            Path root = Path.of("..").toAbsolutePath().normalize();
            Path out = Path.of("target/cuda-standin/libcudastandin.so").toAbsolutePath();
            Path fresh = out.resolveSibling("libcudastandin-" + ProcessHandle.current().pid() + ".so");
            Files.createDirectories(out.getParent());
            Process p;
            try {
                p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-ffp-contract=off", "-I",
                        root.resolve("tensor-vector/src/main/resources/optlab/tensor/cuda").toString(),
                        root.resolve("tensor-vector/src/test/resources/cuda-standin/standin.c").toString(), "-o",
                        fresh.toString(), "-lm", "-ldl").redirectErrorStream(true).start();
            } catch (IOException e) {
                assumeTrue(false, "gcc is not available: skipping the CUDA stand-in tests (" + e.getMessage() + ")");
                throw e;
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed:\n" + log);
            Files.move(fresh, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            built = out;
        }
        return built;
    }

    /** Builds the library and points the CUDA bindings at it. */
    static void install() throws Exception {
        System.setProperty("optlab.cuda.library", path().toString());
    }

    /** {@link #install()}, for a test that also reads Fashion-MNIST (skipped where it is not installed). */
    static void installWithFashionMnist() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")), "Fashion-MNIST is not installed");
        install();
    }

    /** Host-device copies the stand-in has made so far (it counts them). */
    static long transfers() throws Throwable {
        var lib = SymbolLookup.libraryLookup(path(), Arena.global());
        var h = Linker.nativeLinker().downcallHandle(lib.find("standinTransfers").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        return (long) h.invokeExact();
    }
}
