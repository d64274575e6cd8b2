package optlab.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The program NVRTC compiles ({@link KernelModule#source()}: the prelude, then kernels.cu for float and for double)
 * is C++, while the stand-in compiles kernels.cu as C with gcc: a construct valid only in C (an implicit cast from
 * void *, a designated initializer out of order, a C-only keyword) would pass every stand-in test and fail on the
 * first real GPU. g++ checks the exact program as C++17 with warnings as errors, behind a header that declares what
 * NVRTC provides (cuda-standin/nvrtc_as_cxx.h). Skipped when g++ is absent.
 */
class CudaKernelSourceTest {
    @Test
    void theNvrtcProgramIsValidCxx() throws IOException, InterruptedException {
        Path header = Path.of("src/test/resources/cuda-standin/nvrtc_as_cxx.h").toAbsolutePath();
        Path program = Path.of("target/cuda-standin/optlab_kernels_as_cxx.cpp").toAbsolutePath();
        Files.createDirectories(program.getParent());
        Files.writeString(program, "#include \"" + header + "\"\n" + KernelModule.source());
        Process p;
        try {
            p = new ProcessBuilder("g++", "-std=c++17", "-fsyntax-only", "-Wall", "-Werror", program.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "g++ is not available (" + e.getMessage() + "): skipping the C++ check of kernels.cu");
            return;
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "g++ did not finish in 120 s");
        assertEquals(0, p.exitValue(), "kernels.cu as NVRTC compiles it is not valid C++:\n" + log);
    }
}
