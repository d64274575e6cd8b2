package optlab.models;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.optim.OptimizerState;
import optlab.optim.SGD;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * Times one training step (forward, backward, SGD over the flat block) of zoo models, after checking
 * that the CPU backend's logits agree with the reference backend's on the same weights and that the
 * step loop allocates nothing after the first step. Not a test (surefire skips *Timing). Arguments:
 * threads, then "spec|batch|C|H|W" or "spec|batch|features" items; defaults below.
 */
public final class ZooTiming {
    private ZooTiming() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        String[] items = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[] {
            "mlp:784-1000-1000-10|128|784", "cnn:in=1x28x28,conv=32-64,fc=128|64|1|28|28",
            "resnet:blocks=2-2-2-2,width=16|32|3|32|32", "vit:image=32,patch=4,dim=192,depth=6,heads=3|32|3|32|32"};
        try (Backend cpu = Backends.cpu(threads); Backend ref = Backends.reference()) {
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version());
            for (String item : items) {
                String[] f = item.split("\\|");
                int[] shape = Arrays.stream(f).skip(1).mapToInt(Integer::parseInt).toArray();
                time(cpu, ref, f[0], shape);
            }
        }
    }

    private static void time(Backend cpu, Backend ref, String spec, int[] shape) {
        try (Model m = Zoo.build(spec, DType.F32, InitScheme.PYTORCH, 1); BufferPool pool = new BufferPool();
                Scope data = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(2);
            Tensor x = data.uniform(DType.F32, rng, -1, 1, shape);
            Tensor y = data.empty(DType.F32, shape[0]);
            for (int i = 0; i < shape[0]; i++) {
                y.set(rng.nextInt(10), i);
            }
            validate(cpu, ref, m, x, data);
            SGD sgd = new SGD(0.01, 0.9);
            int reps = 10;
            long[] ns = new long[reps + 1];
            long bytes = 0;
            double loss = 0;
            try (OptimizerState st = sgd.init(m.parameters())) {
                for (int r = 0; r <= reps; r++) {
                    long t0 = System.nanoTime();
                    m.zeroGrad();
                    try (Graph g = Graph.open(cpu, pool)) {
                        Variable l = g.crossEntropy(m.forward(g, Variable.constant(x)), y);
                        g.backward(l);
                        loss = l.value().item();
                    }
                    sgd.step(st, m.parameters(), m.gradients());
                    ns[r] = System.nanoTime() - t0;
                    if (r == 0) {
                        bytes = pool.allocatedBytes();
                    }
                }
            }
            if (!Double.isFinite(loss) || pool.allocatedBytes() != bytes) {
                throw new AssertionError(spec + ": loss " + loss + ", pool grew " + bytes + " -> " + pool.allocatedBytes());
            }
            long[] steady = Arrays.copyOfRange(ns, 1, ns.length);
            Arrays.sort(steady);
            double median = steady[steady.length / 2] / 1e6;
            System.out.printf("%-50s batch %4d  params %,11d  step median %8.1f ms = %7.1f samples/s (first %8.1f ms)"
                    + "  pool %,d MB%n", spec, shape[0], m.numParameters(), median, shape[0] / median * 1e3, ns[0] / 1e6,
                    bytes >> 20);
        }
    }

    /** Logits of two examples through the CPU and the reference backend agree to F32 accuracy. */
    static void validate(Backend cpu, Backend ref, Model m, Tensor x, Scope data) {
        Tensor x2 = x.slice(0, 0, Math.min(2, x.dim(0)));
        m.eval();
        try (Scope s = Scope.open(); Graph a = Graph.noGrad(cpu, s); Graph b = Graph.noGrad(ref, s)) {
            double[] fast = m.forward(a, Variable.constant(x2)).value().toDoubleArray();
            double[] slow = m.forward(b, Variable.constant(x2)).value().toDoubleArray();
            double scale = Arrays.stream(slow).map(Math::abs).max().orElse(1);
            for (int i = 0; i < fast.length; i++) {
                if (!(Math.abs(fast[i] - slow[i]) <= 1e-4 * scale + 1e-6)) {
                    throw new AssertionError("cpu and reference logits differ at " + i + ": " + fast[i] + " vs " + slow[i]);
                }
            }
        } finally {
            m.train();
        }
    }
}
