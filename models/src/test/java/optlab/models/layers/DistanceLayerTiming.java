package optlab.models.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * One {@link Distance} layer (exp(−z/2), the authors' init, inputs in [0, 1]) forward and backward in F32,
 * timed as experiments/scripts/torch_distance_bench.py times PyTorch's: median milliseconds per step for
 * batch 100 at 784→100 and 100→100 and batch 256 at 784→1000, with dx only where in ≠ 784 (not the first
 * layer). Validates the CPU output against the reference backend first. Not a test. Arguments: threads,
 * seconds.
 * <pre>
 * ./mvnw -B -q -o -pl tensor-vector,optim,models test-compile
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp tensor-vector/target/classes:optim/target/classes:models/target/classes:models/target/test-classes \
 *     optlab.models.layers.DistanceLayerTiming 1 3
 * </pre>
 * Figures beside PyTorch's: models/README.md, "Distance networks".
 */
public final class DistanceLayerTiming {
    private static final int[][] SHAPES = {{100, 784, 100}, {100, 100, 100}, {256, 784, 1000}};

    private DistanceLayerTiming() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        try (Backend cpu = Backends.cpu(threads); Backend ref = Backends.reference(); BufferPool pool = new BufferPool()) {
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version());
            for (int[] s : SHAPES) {
                double ms = time(cpu, ref, pool, s[0], s[1], s[2], seconds);
                System.out.printf("distance optlab    batch %3d %4d->%-4d fwd+bwd median %8.3f ms%n", s[0], s[1], s[2], ms);
            }
        }
    }

    private static double time(Backend cpu, Backend ref, BufferPool pool, int n, int d, int m, double seconds) {
        try (Model model = Model.build(new Distance(d, m, DistanceOutput.GAUSSIAN), DType.F32, InitScheme.PYTORCH, 1);
                Scope data = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(2);
            Tensor x = data.uniform(DType.F32, rng, 0, 1, n, d), seed = data.uniform(DType.F32, rng, 0, 1, n, m);
            Variable input = d == 784 ? Variable.constant(x) : Variable.parameter(x, data);
            try (Graph g = Graph.noGrad(cpu, data); Graph r = Graph.noGrad(ref, data)) {
                Tensor got = model.forward(g, input).value(), want = model.forward(r, input).value();
                for (long i = 0; i < got.numel(); i++) {
                    if (!(Math.abs(got.getFlat(i) - want.getFlat(i)) <= 1e-5)) {
                        throw new AssertionError("CPU output differs from the reference at " + i);
                    }
                }
            }
            Runnable step = () -> {
                model.zeroGrad();
                try (Graph g = Graph.open(cpu, pool)) {
                    g.backward(model.forward(g, input), seed);
                }
            };
            long warm = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warm) {
                step.run();
            }
            List<Double> times = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end || times.size() < 5) {
                long t0 = System.nanoTime();
                step.run();
                times.add((System.nanoTime() - t0) / 1e6);
            }
            Collections.sort(times);
            return times.get(times.size() / 2);
        }
    }
}
