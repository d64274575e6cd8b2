package optlab.tensor.autodiff;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;
import optlab.tensor.cpu.CpuBackend;

/**
 * Measuring aid, not a test: the cost of the tape. Times one training step (forward + backward) of
 * a two-layer MLP, x [B, I] → linear → relu → linear → cross-entropy, through {@link Graph} and as
 * the same kernels called by hand, after checking that both give the same gradients.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.autodiff.AutodiffTiming THREADS BATCH IN HIDDEN OUT SECONDS
 * </pre>
 */
public final class AutodiffTiming {
    private AutodiffTiming() {
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]), in = Integer.parseInt(args[2]);
        int hidden = Integer.parseInt(args[3]), out = Integer.parseInt(args[4]);
        double seconds = Double.parseDouble(args[5]);
        DType dt = DType.F32;
        try (CpuBackend b = new CpuBackend(threads); Scope params = Scope.open(); BufferPool pool = new BufferPool()) {
            System.out.println(b.describe() + "; MLP " + batch + "x" + in + " -> " + hidden + " -> " + out + ", F32");
            SplittableRandom r = new SplittableRandom(1);
            Tensor x = params.uniform(dt, r, -1, 1, batch, in);
            Tensor labels = params.empty(dt, batch);
            for (int i = 0; i < batch; i++) {
                labels.set(r.nextInt(out), i);
            }
            Tensor w1 = params.uniform(dt, r, -0.05, 0.05, hidden, in), b1 = params.zeros(dt, hidden);
            Tensor w2 = params.uniform(dt, r, -0.05, 0.05, out, hidden), b2 = params.zeros(dt, out);
            Tensor[] grads = {params.zeros(dt, hidden, in), params.zeros(dt, hidden), params.zeros(dt, out, hidden),
                params.zeros(dt, out)};
            Variable[] p = {Variable.parameter(w1, grads[0]), Variable.parameter(b1, grads[1]),
                Variable.parameter(w2, grads[2]), Variable.parameter(b2, grads[3])};
            Tensor[] hand = {params.zeros(dt, hidden, in), params.zeros(dt, hidden), params.zeros(dt, out, hidden),
                params.zeros(dt, out)};
            Runnable tape = () -> {
                for (Variable v : p) {
                    v.zeroGrad(b);
                }
                try (Graph g = Graph.open(b, pool)) {
                    Variable h = g.relu(Functions.linear(g, Variable.constant(x), p[0], p[1]));
                    g.backward(g.crossEntropy(Functions.linear(g, h, p[2], p[3]), labels));
                }
            };
            Runnable byHand = () -> {
                try (Scope s = Scope.open(pool)) {
                    handStep(b, s, x, labels, w1, b1, w2, b2, hand);
                }
            };
            tape.run();
            byHand.run();
            for (int i = 0; i < 4; i++) {
                TestTensors.assertClose(hand[i], grads[i], 1e-5, 1e-6);
            }
            double[] t = time(tape, byHand, seconds);
            System.out.printf("tape: %.3f ms/step, by hand: %.3f ms/step (medians of %d alternating steps), tape/hand %.2f%n",
                    t[0] * 1e3, t[1] * 1e3, (int) t[2], t[0] / t[1]);
        }
    }

    /** The same step written out: forward, fused CE gradient, backward, by kernel calls. */
    private static void handStep(Backend b, Scope s, Tensor x, Tensor labels, Tensor w1, Tensor b1, Tensor w2, Tensor b2,
            Tensor[] g) {
        DType dt = x.dtype();
        int n = x.dim(0), hidden = w1.dim(0), out = w2.dim(0);
        Tensor h = s.empty(dt, n, hidden);
        b.copy(b1, h);
        b.gemm(1, x, w1.mT(), 1, h);
        Tensor a = s.empty(dt, n, hidden);
        b.unary(UnaryOp.RELU, h, a);
        Tensor logits = s.empty(dt, n, out);
        b.copy(b2, logits);
        b.gemm(1, a, w2.mT(), 1, logits);
        Tensor dLogits = s.empty(dt, n, out);
        b.crossEntropy(logits, labels, dLogits);
        b.gemm(1, dLogits.mT(), a, 0, g[2]);
        b.reduce(ReduceOp.SUM, dLogits, g[3].reshape(1, out));
        Tensor da = s.empty(dt, n, hidden);
        b.gemm(1, dLogits, w2, 0, da);
        Tensor dh = s.empty(dt, n, hidden);
        b.binary(BinaryOp.RELU_BACKWARD, h, da, dh);
        b.gemm(1, dh.mT(), x, 0, g[0]);
        b.reduce(ReduceOp.SUM, dh, g[1].reshape(1, hidden));
    }

    /** Medians of the two steps' times, run alternately so that load on a shared machine hits both alike. */
    private static double[] time(Runnable a, Runnable b, double seconds) {
        int max = 100_000;
        double[] ta = new double[max], tb = new double[max];
        int reps = 0;
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while ((System.nanoTime() < until || reps < 5) && reps < max) {
            long t0 = System.nanoTime();
            a.run();
            long t1 = System.nanoTime();
            b.run();
            ta[reps] = (t1 - t0) * 1e-9;
            tb[reps++] = (System.nanoTime() - t1) * 1e-9;
        }
        return new double[] {median(ta, reps), median(tb, reps), reps};
    }

    private static double median(double[] t, int n) {
        double[] done = Arrays.copyOf(t, n);
        Arrays.sort(done);
        return done[n / 2];
    }
}
