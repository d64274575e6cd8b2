package optlab.models.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * Times one online training step (forward, MSE to one-hot targets, backward, plain SGD) of an MLP under
 * each given parameterization, in F32 and F64, to show what centering costs (the frozen copy's extra
 * forward) and what F64 costs. The cases run round-robin, one step each in turn, so that a shared
 * machine's load drifts over all of them alike; medians per case. Not a test (surefire skips *Timing).
 * Arguments: threads, seconds, MLP spec, batch, parameterization specs. Fails if the step loop
 * allocates new pool buffers after the first round.
 */
public final class ParamStepTiming {
    private ParamStepTiming() {
    }

    /** One model with its data, optimizer state and pool. */
    private record Case(String label, Model model, SGD sgd, OptimizerState state, BufferPool pool, Tensor x, Tensor y,
            long[] ns) {
        void step(Backend cpu) {
            model.zeroGrad();
            try (Graph g = Graph.open(cpu, pool)) {
                g.backward(g.mse(model.forward(g, Variable.constant(x)), Variable.constant(y)));
            }
            sgd.step(state, model.parameters(), model.gradients());
        }
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        String spec = args.length > 2 ? args[2] : "mlp:784-256-256-10";
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        String[] kinds = args.length > 4 ? Arrays.copyOfRange(args, 4, args.length)
                : new String[] {"standard", "mup:gamma0=1"};
        int in = Integer.parseInt(spec.substring(spec.indexOf(':') + 1).split("[-,]")[0]);
        List<Case> cases = new ArrayList<>();
        try (Backend cpu = Backends.cpu(threads); Scope data = Scope.open()) {
            System.out.println("backend: " + cpu.describe() + "; java " + Runtime.version());
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Tensor x = data.uniform(dtype, new SplittableRandom(2), -1, 1, batch, in);
                Tensor y = data.zeros(dtype, batch, 10);
                for (int i = 0; i < batch; i++) {
                    y.set(1, i, i % 10);
                }
                for (String kind : kinds) {
                    Parameterization p = Parameterization.parse(kind);
                    Model m = p.build(spec, dtype, InitScheme.PYTORCH, 1);
                    SGD sgd = new SGD(p.learningRate(1e-4, Parameterization.width(spec)));
                    cases.add(new Case(p.spec() + " " + dtype, m, sgd, sgd.init(m.parameters()), new BufferPool(), x, y,
                            new long[1 << 16]));
                }
            }
            long warm = System.nanoTime() + 3_000_000_000L, end = warm + (long) (seconds * 1e9);
            long[] firstRound = new long[cases.size()];
            int n = 0;
            for (int round = 0; System.nanoTime() < end && n < (1 << 16); round++) {
                boolean measure = System.nanoTime() > warm;
                for (int c = 0; c < cases.size(); c++) {
                    Case k = cases.get(c);
                    long t0 = System.nanoTime();
                    k.step(cpu);
                    long dt = System.nanoTime() - t0;
                    if (round == 0) {
                        firstRound[c] = k.pool().allocatedBytes();
                    }
                    if (measure) {
                        k.ns()[n] = dt;
                    }
                }
                n += measure ? 1 : 0;
            }
            for (int c = 0; c < cases.size(); c++) {
                Case k = cases.get(c);
                if (k.pool().allocatedBytes() != firstRound[c]) {
                    throw new IllegalStateException(k.label() + ": the step loop allocated new pool buffers");
                }
                long[] t = Arrays.copyOf(k.ns(), n);
                Arrays.sort(t);
                System.out.printf("%-24s %s batch %3d  steps %5d  median %7.3f ms  p10 %7.3f ms%n", k.label(), spec, batch, n,
                        t[n / 2] * 1e-6, t[n / 10] * 1e-6);
                k.state().close();
                k.pool().close();
                k.model().close();
            }
        }
    }
}
