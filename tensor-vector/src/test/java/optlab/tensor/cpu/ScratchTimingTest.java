package optlab.tensor.cpu;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;
import org.junit.jupiter.api.Test;

class ScratchTimingTest {
    static long t = System.nanoTime();
    static void lap(String what) { long n = System.nanoTime(); System.out.printf("%-30s %.1f ms%n", what, (n - t) / 1e6); t = n; }
    @Test
    void time() {
        int n = 1_000_003;
        try (Scope scope = Scope.open(); Backend cpu = new CpuBackend(2); Backend cpu1 = new CpuBackend(1); Backend ref = Backends.reference()) {
            lap("start");
            Tensor x = scope.uniform(DType.F32, new SplittableRandom(1), -6, 6, n);
            Tensor s = scope.uniform(DType.F32, new SplittableRandom(1), -6, 6, 1);
            lap("uniform");
            Tensor e = scope.empty(DType.F32, n), o = scope.empty(DType.F32, n);
            ref.binary(BinaryOp.ADD, x, s, e);
            lap("ref add");
            cpu.binary(BinaryOp.ADD, x, s, o);
            lap("cpu add cold");
            cpu1.binary(BinaryOp.ADD, x, s, o);
            lap("cpu add 2");
            TestTensors.assertClose(e, o, 0, 0);
            lap("assertClose");
            Tensor g = scope.uniform(DType.F64, new SplittableRandom(1), -6, 6, 40009), go = scope.empty(DType.F64, 40009);
            ref.unary(UnaryOp.GELU, g, go);
            lap("ref gelu 40k");
            cpu.unary(UnaryOp.GELU, g, go);
            lap("cpu gelu 40k");
            cpu1.unary(UnaryOp.GELU, g, go);
            lap("cpu1 gelu 40k");
        }
    }
}
