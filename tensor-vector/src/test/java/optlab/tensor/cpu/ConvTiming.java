package optlab.tensor.cpu;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.internal.ConvGeometry;

/**
 * A/B per-op timing of the direct stride-1 kernels against im2col + GEMM, one thread, in one JVM:
 * blocks of each alternate. Layers of the ResNet and CNN benches
 * at batch 128 (F32). Wall clock (the module cannot read java.management): the minimum over rounds,
 * the figure least disturbed by other load.
 * <pre>
 * ./mvnw -q -B -o -pl tensor-vector test-compile
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.ConvTiming [rounds]
 * </pre>
 */
final class ConvTiming {
    private ConvTiming() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[][] layers = {{16, 16, 32}, {32, 32, 16}, {3, 32, 32}, {32, 64, 16}, {64, 64, 8}};
        try (Scope s = Scope.open(); CpuBackend cpu = new CpuBackend(1)) {
            for (int[] l : layers) {
                layer(s, cpu, l[0], l[1], l[2], rounds);
            }
        }
    }

    private static void layer(Scope s, CpuBackend cpu, int c, int o, int hw, int rounds) {
        int n = 128;
        Conv2dSpec spec = Conv2dSpec.of(1, 1);
        Tensor x = TestTensors.random(s, DType.F32, 1, n, c, hw, hw), w = TestTensors.random(s, DType.F32, 2, o, c, 3, 3);
        Tensor b = TestTensors.random(s, DType.F32, 3, o), out = s.zeros(DType.F32, n, o, hw, hw);
        Tensor gOut = TestTensors.random(s, DType.F32, 4, n, o, hw, hw), gx = s.zeros(DType.F32, x.shape());
        Tensor gw = s.zeros(DType.F32, w.shape()), gb = s.zeros(DType.F32, o);
        ConvGeometry g = ConvGeometry.forward(x, w, b, spec, out);
        Runnable[] direct = {
            () -> DirectConv.forward(cpu, x, w, b, g, out),
            () -> DirectConv.backwardInput(cpu, gOut, w, g, gx),
            () -> DirectConv.backwardWeight(cpu, gOut, x, g, gw, gb)};
        long budget = 1L << 22;
        Runnable[] gemm = {
            () -> CpuConv.conv2d(cpu, x, w, b, spec, out, budget),
            () -> CpuConv.backwardInput(cpu, gOut, w, spec, gx, budget),
            () -> CpuConv.backwardWeight(cpu, gOut, x, spec, gw, gb, budget)};
        String[] names = {"forward", "backward input", "backward weight"};
        double macs = (double) n * o * c * 9 * hw * hw;
        for (int op = 0; op < 3; op++) {
            double[] d = new double[rounds], m = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                m[r] = cpuMs(gemm[op]);
                d[r] = cpuMs(direct[op]);
            }
            Arrays.sort(d);
            Arrays.sort(m);
            double dm = d[0], mm = m[0];
            System.out.printf("%2d->%2d @%2dx%-2d %-15s im2col+gemm %7.1f ms  direct %7.1f ms  (%.2fx, direct %.0f GFLOP/s)%n",
                    c, o, hw, hw, names[op], mm, dm, mm / dm, 2 * macs / dm / 1e6);
        }
    }

    private static double cpuMs(Runnable r) {
        r.run();
        long t0 = System.nanoTime();
        r.run();
        r.run();
        return (System.nanoTime() - t0) / 2e6;
    }
}
