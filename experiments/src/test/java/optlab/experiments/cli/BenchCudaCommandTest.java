package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GPU suite's commands through the gcc-built CUDA stand-in: {@code optlab gpu check} (kernels against the
 * reference backend, optimizer updates bit for bit), {@code optlab bench gemm --backend cuda} and
 * {@code optlab bench online-step --backend cuda}, on sizes the stand-in's loops finish quickly.
 */
class BenchCudaCommandTest {
    @BeforeAll
    static void standIn() throws Exception {
        CudaStandInLibrary.install();
    }


    @Test
    void gpuCheckPassesEveryKernelAndUpdate() {
        CliRun.Result r = CliRun.run("gpu", "check");
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
        CliRun.Result g = CliRun.run("bench", "gemm", "--backend", "cuda", "--size", "33,64", "--reps", "2", "--dtype", "f32,f64");
        assertEquals(0, g.rc(), g.out() + g.err());
        assertTrue(g.out().contains("gemm 33^3 F32") && g.out().contains("gemm 64^3 F64"), g.out());
        CliRun.Result s = CliRun.run("bench", "online-step", "--backend", "cuda", "--model", "mlp:16-8-4", "--batch", "8", "--seconds",
                "0.2", "--warmup", "0");
        assertEquals(0, s.rc(), s.out() + s.err());
        assertTrue(s.out().contains("ms/step"), s.out());
        CliRun.Result bad = CliRun.run("bench", "gemm", "--backend", "tpu");
        assertEquals(2, bad.rc(), bad.err());
    }
}
