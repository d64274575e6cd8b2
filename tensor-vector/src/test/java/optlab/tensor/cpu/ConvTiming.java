package optlab.tensor.cpu;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.internal.ConvGeometry;

/**
 * A/B per-op timing of the direct kernels (rows along vectors, and lanes over images) against im2col + GEMM, one thread, in one JVM:
 * blocks of each alternate. Layers of the ResNet and CNN benches
 * at batch 128 (F32). The calling thread's CPU time (read reflectively: the test module does not read
 * java.management, but this runs from the class path), the minimum over rounds.
 * <pre>
 * ./mvnw -q -B -o -pl tensor-vector test-compile
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.ConvTiming [rounds [layer index]]
 * </pre>
 */
final class ConvTiming {
    private ConvTiming() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // C, O, input H = W, stride, kernel
        int[][] layers = {{16, 16, 32, 1, 3}, {32, 32, 16, 1, 3}, {3, 32, 32, 1, 3}, {32, 64, 16, 1, 3}, {64, 64, 8, 1, 3},
            {128, 128, 4, 1, 3}, {16, 32, 32, 2, 3}, {32, 64, 16, 2, 3}, {64, 128, 8, 2, 3}, {16, 32, 32, 2, 1}};
        try (Scope s = Scope.open(); CpuBackend cpu = new CpuBackend(1)) {
            for (int i = 0; i < layers.length; i++) {
                int[] l = layers[i];
                if (args.length < 2 || Integer.parseInt(args[1]) == i) {
                    layer(s, cpu, l[0], l[1], l[2], l[3], l[4], rounds);
                }
            }
        }
    }

    private static void layer(Scope s, CpuBackend cpu, int c, int o, int hw, int stride, int k, int rounds) {
        int n = 128, ho = Conv2dSpec.outSize(hw, k, stride, k / 2);
        Conv2dSpec spec = Conv2dSpec.of(stride, k / 2);
        Tensor x = TestTensors.random(s, DType.F32, 1, n, c, hw, hw), w = TestTensors.random(s, DType.F32, 2, o, c, k, k);
        Tensor b = TestTensors.random(s, DType.F32, 3, o), out = s.zeros(DType.F32, n, o, ho, ho);
        Tensor gOut = TestTensors.random(s, DType.F32, 4, n, o, ho, ho), gx = s.zeros(DType.F32, x.shape());
        Tensor gw = s.zeros(DType.F32, w.shape()), gb = s.zeros(DType.F32, o);
        ConvGeometry g = ConvGeometry.forward(x, w, b, spec, out);
        Runnable[] rows = {
            () -> DirectConv.forward(cpu, x, w, b, g, out, false),
            () -> DirectConv.backwardInput(cpu, gOut, w, g, gx, false),
            () -> DirectConv.backwardWeight(cpu, gOut, x, g, gw, gb, false)};
        Runnable[] lanes = {
            () -> DirectConv.forward(cpu, x, w, b, g, out, true),
            () -> DirectConv.backwardInput(cpu, gOut, w, g, gx, true),
            () -> DirectConv.backwardWeight(cpu, gOut, x, g, gw, gb, true)};
        long budget = 1L << 22;
        Runnable[] gemm = {
            () -> CpuConv.conv2d(cpu, x, w, b, spec, out, budget),
            () -> CpuConv.backwardInput(cpu, gOut, w, spec, gx, budget),
            () -> CpuConv.backwardWeight(cpu, gOut, x, spec, gw, gb, budget)};
        String[] names = {"forward", "backward input", "backward weight"};
        double macs = (double) n * o * c * k * k * ho * ho;
        for (int op = 0; op < 3; op++) {
            double[] d = new double[rounds], e = new double[rounds], m = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                m[r] = cpuMs(gemm[op]);
                d[r] = cpuMs(rows[op]);
                e[r] = cpuMs(lanes[op]);
            }
            Arrays.sort(d);
            Arrays.sort(e);
            Arrays.sort(m);
            double best = Math.min(d[0], e[0]);
            System.out.printf("%3d->%3d %dx%d/%d @%2dx%-2d %-15s im2col+gemm %6.1f ms  direct rows %6.1f  lanes %6.1f"
                    + "  (best %.2fx, %.0f GFLOP/s)%n", c, o, k, k, stride, hw, hw, names[op], m[0], d[0], e[0],
                    m[0] / best, 2 * macs / best / 1e6);
        }
    }

    private static double cpuMs(Runnable r) {
        r.run();
        long t0 = cpuNanos();
        r.run();
        r.run();
        return (cpuNanos() - t0) / 2e6;
    }

    private static long cpuNanos() {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            return (long) Class.forName("java.lang.management.ThreadMXBean").getMethod("getCurrentThreadCpuTime").invoke(mx);
        } catch (ReflectiveOperationException e) {
            return System.nanoTime();
        }
    }
}
