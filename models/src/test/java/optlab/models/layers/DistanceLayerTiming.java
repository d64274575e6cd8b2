package optlab.models.layers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * With {@code serve THREADS} it builds the three layers, warms them up, prints "ready" and then answers lines on
 * standard input: "SHAPE SECONDS" (SHAPE an index into the three) with the median milliseconds of the steps run
 * in that time, "quit" to stop. experiments/scripts/distance_side_by_side.py drives it beside PyTorch in alternating short windows.
 * Figures beside PyTorch's: models/README.md, "Distance networks".
 */
public final class DistanceLayerTiming {
    private static final int[][] SHAPES = {{100, 784, 100}, {100, 100, 100}, {256, 784, 1000}};

    private DistanceLayerTiming() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
            return;
        }
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        try (Backend cpu = Backends.cpu(threads); Backend ref = Backends.reference(); BufferPool pool = new BufferPool()) {
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version());
            for (int[] s : SHAPES) {
                try (Layer layer = new Layer(cpu, ref, pool, s[0], s[1], s[2])) {
                    layer.run(2);
                    double ms = layer.run(seconds);
                    System.out.printf("distance optlab    batch %3d %4d->%-4d fwd+bwd median %8.3f ms%n", s[0], s[1], s[2], ms);
                }
            }
        }
    }

    private static void serve(int threads) throws IOException {
        try (Backend cpu = Backends.cpu(threads); Backend ref = Backends.reference(); BufferPool pool = new BufferPool()) {
            List<Layer> layers = new ArrayList<>();
            try {
                for (int[] s : SHAPES) {
                    layers.add(new Layer(cpu, ref, pool, s[0], s[1], s[2]));
                }
                for (Layer l : layers) {
                    l.run(2);
                }
                System.out.println("ready " + cpu.describe());
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                    String[] w = line.trim().split("\\s+");
                    double seconds = Double.parseDouble(w[1]);
                    System.out.printf("%.4f%n", layers.get(Integer.parseInt(w[0])).run(seconds));
                    System.out.flush();
                }
            } finally {
                for (Layer l : layers) {
                    l.close();
                }
            }
        }
    }

    /** One layer with its data and step, checked against the reference backend when built. */
    private static final class Layer implements AutoCloseable {
        private final Model model;
        private final Scope data;
        private final Runnable step;

        Layer(Backend cpu, Backend ref, BufferPool pool, int n, int d, int m) {
            model = Model.build(new Distance(d, m, DistanceOutput.GAUSSIAN), DType.F32, InitScheme.PYTORCH, 1);
            data = Scope.open();
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
            step = () -> {
                model.zeroGrad();
                try (Graph g = Graph.open(cpu, pool)) {
                    g.backward(model.forward(g, input), seed);
                }
            };
        }

        /** Median milliseconds of the steps run in {@code seconds} (at least 5). */
        double run(double seconds) {
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

        @Override
        public void close() {
            data.close();
            model.close();
        }
    }
}
