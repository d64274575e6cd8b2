package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        CudaStandInLibrary.install();
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
        assertTrue(r.out().contains("ok   flow rk4:lr=0.05 F32") && r.out().contains("ok   flow ab3:lr=0.05,momentum=0.9,"
                + "weight_decay=0.01 F64"), r.out());
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
