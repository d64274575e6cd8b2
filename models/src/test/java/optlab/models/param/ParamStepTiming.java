package optlab.models.param;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.models.init.InitScheme;
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
 * Times one online training step (forward, MSE to one-hot targets, backward, plain SGD) of a model
 * under each parameterization, in F32 and F64, to show what centering costs (the frozen copy's extra
 * forward) and what F64 costs. Not a test (surefire skips *Timing). Arguments: threads, seconds per
 * case, zoo spec, batch, then parameterization specs. Checks that the step loop allocates no new
 * pool buffers after the first step.
 */
public final class ParamStepTiming {
    private ParamStepTiming() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        String spec = args.length > 2 ? args[2] : "mlp:784-256-256-10";
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        String[] kinds = args.length > 4 ? Arrays.copyOfRange(args, 4, args.length)
                : new String[] {"standard", "mup:gamma0=1"};
        try (Backend cpu = Backends.cpu(threads)) {
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version());
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                for (String kind : kinds) {
                    time(cpu, Parameterization.parse(kind), spec, batch, dtype, seconds);
                }
            }
        }
    }

    private static void time(Backend cpu, Parameterization p, String spec, int batch, DType dtype, double seconds) {
        try (Model m = p.build(spec, dtype, InitScheme.PYTORCH, 1); BufferPool pool = new BufferPool();
                Scope data = Scope.open()) {
            int in = Integer.parseInt(spec.substring(spec.indexOf(':') + 1).split("-")[0]);
            Tensor x = data.uniform(dtype, new SplittableRandom(2), -1, 1, batch, in);
            Tensor y = data.zeros(dtype, batch, 10);
            for (int i = 0; i < batch; i++) {
                y.set(1, i, i % 10);
            }
            SGD sgd = new SGD(p.learningRate(1e-4, Parameterization.width(spec)));
            long[] ns = new long[1 << 16];
            int n = 0;
            long bytesAfterFirst = 0;
            long end = System.nanoTime() + (long) ((seconds + 2) * 1e9); // first ~2 s are warm-up
            long warm = System.nanoTime() + 2_000_000_000L;
            try (OptimizerState st = sgd.init(m.parameters())) {
                for (int step = 0; System.nanoTime() < end && n < ns.length; step++) {
                    long t0 = System.nanoTime();
                    m.zeroGrad();
                    try (Graph g = Graph.open(cpu, pool)) {
                        g.backward(g.mse(m.forward(g, Variable.constant(x)), Variable.constant(y)));
                    }
                    sgd.step(st, m.parameters(), m.gradients());
                    long t1 = System.nanoTime();
                    if (step == 0) {
                        bytesAfterFirst = pool.allocatedBytes();
                    }
                    if (t0 > warm) {
                        ns[n++] = t1 - t0;
                    }
                }
            }
            if (pool.allocatedBytes() != bytesAfterFirst) {
                throw new IllegalStateException("the step loop allocated new pool buffers");
            }
            long[] t = Arrays.copyOf(ns, n);
            Arrays.sort(t);
            System.out.printf("%-22s %s %-4s batch %3d  steps %5d  median %7.3f ms  p10 %7.3f ms%n", p.spec(), spec,
                    dtype, batch, n, t[n / 2] * 1e-6, t[n / 10] * 1e-6);
        }
    }
}
