package optlab.tensor.cpu;

import java.util.Locale;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/**
 * Tuning aid, not a test: times elementwise ops of CpuBackend on x [R, C] and prints the best time
 * per call, elements per second and GB/s (inputs read once + output written once), after checking
 * the result against the reference backend. The first seconds of each op include JIT warm-up;
 * the best call of the run is reported.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.ElementwiseTiming THREADS F32|F64 SECONDS RxC OP ...
 * </pre>
 * OP is a UnaryOp or BinaryOp name (exp, gelu, add, gelu_backward, ...: binary ops take y [R, C]),
 * {@code row-OP} for a binary op with y [1, C] broadcast over the rows, {@code copy}, or
 * {@code copy-t} (a copy from x's transposed view, gathered).
 */
public final class ElementwiseTiming {

    private ElementwiseTiming() {
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        DType dtype = DType.valueOf(args[1]);
        double seconds = Double.parseDouble(args[2]);
        String[] rc = args[3].split("x");
        int rows = Integer.parseInt(rc[0]), cols = Integer.parseInt(rc[1]);
        try (CpuBackend cpu = new CpuBackend(threads); Backend ref = Backends.reference(); Scope scope = Scope.open()) {
            System.out.println(cpu.describe() + ", " + dtype + " [" + rows + ", " + cols + "]");
            Tensor x = scope.uniform(dtype, new SplittableRandom(1), -4, 4, rows, cols);
            Tensor y = scope.uniform(dtype, new SplittableRandom(2), -4, 4, rows, cols);
            Tensor row = scope.uniform(dtype, new SplittableRandom(3), -4, 4, 1, cols);
            Tensor out = scope.empty(dtype, rows, cols), expected = scope.empty(dtype, rows, cols);
            for (int i = 4; i < args.length; i++) {
                String op = args[i];
                Runnable call = call(cpu, op, x, y, row, out);
                Runnable oracle = call(ref, op, x, y, row, expected);
                call.run();
                oracle.run();
                TestTensors.assertClose(expected, out, TestTensors.rtol(dtype), TestTensors.rtol(dtype));
                long best = Long.MAX_VALUE;
                for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
                    long t0 = System.nanoTime();
                    call.run();
                    best = Math.min(best, System.nanoTime() - t0);
                }
                long n = (long) rows * cols;
                long bytes = (isBinary(op) && !op.startsWith("row-") ? 3 : 2) * n * dtype.byteSize();
                System.out.printf(Locale.ROOT, "%-20s %8.3f ms %9.0f Melem/s %7.1f GB/s%n", op, best / 1e6, n * 1e3 / best,
                        bytes / (double) best);
            }
        }
    }

    private static boolean isBinary(String op) {
        String name = op.startsWith("row-") ? op.substring(4) : op;
        for (BinaryOp b : BinaryOp.values()) {
            if (b.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static Runnable call(Backend be, String op, Tensor x, Tensor y, Tensor row, Tensor out) {
        if (op.equals("copy")) {
            return () -> be.copy(x, out);
        }
        if (op.equals("copy-t")) {
            Tensor transposed = x.reshape(x.dim(1), x.dim(0)).mT(); // [R, C] with strides (1, R)
            return () -> be.copy(transposed, out);
        }
        if (op.startsWith("row-")) {
            BinaryOp b = BinaryOp.valueOf(op.substring(4).toUpperCase(Locale.ROOT));
            return () -> be.binary(b, x, row, out);
        }
        if (isBinary(op)) {
            BinaryOp b = BinaryOp.valueOf(op.toUpperCase(Locale.ROOT));
            return () -> be.binary(b, x, y, out);
        }
        UnaryOp u = UnaryOp.valueOf(op.toUpperCase(Locale.ROOT));
        return () -> be.unary(u, x, out);
    }
}
