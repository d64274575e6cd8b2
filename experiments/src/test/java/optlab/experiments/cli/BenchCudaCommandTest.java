package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The GPU suite's commands through the gcc-built CUDA stand-in: {@code optlab gpu check} (kernels against the
 * reference backend, optimizer updates bit for bit), {@code optlab bench gemm --backend cuda} and
 * {@code optlab bench online-step --backend cuda}, on sizes the stand-in's loops finish quickly.
 */
class BenchCudaCommandTest {
    private record Result(int rc, String out, String err) {
    }

    @BeforeAll
    static void standIn() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path out = Path.of("target/cuda-standin/libcudastandin-bench.so").toAbsolutePath();
        if (!Files.exists(out)) {
            Files.createDirectories(out.getParent());
            Process p;
            try {
                p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-ffp-contract=off", "-I",
                        root.resolve("tensor-vector/src/main/resources/optlab/tensor/cuda").toString(),
                        root.resolve("tensor-vector/src/test/resources/cuda-standin/standin.c").toString(), "-o",
                        out.toString(), "-lm", "-ldl").redirectErrorStream(true).start();
            } catch (IOException e) {
                assumeTrue(false, "gcc is not available: skipping the CUDA stand-in benchmarks (" + e.getMessage() + ")");
                throw e;
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed:\n" + log);
        }
        if (System.getProperty("optlab.cuda.library") == null) {
            System.setProperty("optlab.cuda.library", out.toString());
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int rc = new CommandLine(new Main()).execute(args);
            return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void gpuCheckPassesEveryKernelAndUpdate() {
        Result r = run("gpu", "check");
        assertEquals(0, r.rc(), r.out() + r.err());
        assertTrue(r.out().contains("backend check: all passed") && r.out().contains("update check: all bitwise equal"),
                r.out());
        assertTrue(r.out().contains("ok   conv2dBackwardWeight F32") && r.out().contains("ok   update adam:lr=0.01 F64"),
                r.out());
    }

    @Test
    void benchGemmAndTheOnlineStepRunOnTheDevice() {
        Result g = run("bench", "gemm", "--backend", "cuda", "--size", "33,64", "--reps", "2", "--dtype", "f32,f64");
        assertEquals(0, g.rc(), g.out() + g.err());
        assertTrue(g.out().contains("gemm 33^3 F32") && g.out().contains("gemm 64^3 F64"), g.out());
        Result s = run("bench", "online-step", "--backend", "cuda", "--model", "mlp:16-8-4", "--batch", "8", "--seconds",
                "0.2", "--warmup", "0");
        assertEquals(0, s.rc(), s.out() + s.err());
        assertTrue(s.out().contains("ms/step"), s.out());
        Result bad = run("bench", "gemm", "--backend", "tpu");
        assertEquals(2, bad.rc(), bad.err());
    }
}
