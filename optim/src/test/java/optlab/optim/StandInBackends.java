package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The optim CUDA tests' fixture: the CUDA backend on tensor-vector's gcc-built stand-in and a two-thread CPU backend
 * beside it, opened once per class (skipped when gcc is absent).
 */
abstract class StandInBackends {
    static Backend cuda;
    static Backend cpu;

    @BeforeAll
    static void open() throws Exception {
        System.setProperty("optlab.cuda.library", buildStandIn().toString());
        cuda = Backends.cuda();
        cpu = Backends.cpu(2);
    }

    @AfterAll
    static void close() {
        if (cuda != null) {
            cuda.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    /** Builds tensor-vector's CUDA stand-in with gcc into this module's target, or skips. */
    static Path buildStandIn() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path source = root.resolve("tensor-vector/src/test/resources/cuda-standin/standin.c");
        Path kernels = root.resolve("tensor-vector/src/main/resources/optlab/tensor/cuda");
        Path out = Path.of("target/cuda-standin/libcudastandin.so").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-ffp-contract=off", "-I", kernels.toString(),
                    source.toString(), "-o", out.toString(), "-lm", "-ldl").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not available: skipping the CUDA stand-in tests (" + e.getMessage() + ")");
            throw e;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed:\n" + log);
        return out;
    }
}
