package optlab.tensor.cpu;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.reference.ReferenceBackend;

/**
 * Tuning aid, not a test: times the reduction, softmax and loss kernels on the shapes models use
 * and prints milliseconds and GB/s of input read once, after checking each result against the
 * reference backend on the same inputs and a warm-up as long as the measurement. On a shared
 * machine the best time is the meaningful one; the mean includes time other processes held the cores.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tensor-vector/target/classes:tensor-vector/target/test-classes \
 *     optlab.tensor.cpu.ReduceTiming THREADS F32|F64 SECONDS
 * </pre>
 */
public final class ReduceTiming {
    private static final Backend REF = new ReferenceBackend();

    private ReduceTiming() {
    }

    /** One kernel call: runs {@code op} on a backend, writing into the case's outputs. */
    private record Case(String name, Tensor input, Tensor[] outputs, Consumer<Backend> op) {
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        DType dt = DType.valueOf(args[1]);
        double seconds = Double.parseDouble(args[2]);
        try (CpuBackend cpu = new CpuBackend(threads); Scope s = Scope.open()) {
            System.out.println(cpu.describe());
            SplittableRandom rng = new SplittableRandom(1);
            Tensor mat = s.uniform(dt, rng, -4, 4, 4096, 1024);
            Tensor seq = s.uniform(dt, rng, -4, 4, 64, 128, 512);
            Tensor img = s.uniform(dt, rng, -4, 4, 32, 64, 32, 32);
            Tensor logits = s.uniform(dt, rng, -4, 4, 4096, 1000), labels = s.empty(dt, 4096);
            for (int i = 0; i < 4096; i++) {
                labels.set(rng.nextInt(1000), i);
            }
            Tensor rows = s.empty(dt, 4096, 1), cols = s.empty(dt, 1, 1024), all = s.empty(dt, 1, 1);
            Tensor seqMean = s.empty(dt, 64, 128, 1), seqVar = s.empty(dt, 64, 128, 1);
            Tensor chMean = s.empty(dt, 1, 64, 1, 1), chVar = s.empty(dt, 1, 64, 1, 1);
            Tensor matOut = s.emptyLike(mat), imgOut = s.emptyLike(img), grad = s.emptyLike(logits);
            Tensor other = s.uniform(dt, rng, -4, 4, 4096, 1024), mseGrad = s.emptyLike(mat);
            Tensor probs = s.emptyLike(mat); // softmax outputs: the y softmaxBackward is given in practice
            REF.softmax(mat, 1, probs);
            double[] loss = new double[1];
            Case[] cases = {
                new Case("sum [4096,1024]->[4096,1]", mat, new Tensor[] {rows}, b -> b.reduce(ReduceOp.SUM, mat, rows)),
                new Case("sum [4096,1024]->[1,1024]", mat, new Tensor[] {cols}, b -> b.reduce(ReduceOp.SUM, mat, cols)),
                new Case("sum [4096,1024]->[1,1]", mat, new Tensor[] {all}, b -> b.reduce(ReduceOp.SUM, mat, all)),
                new Case("max [4096,1024]->[4096,1]", mat, new Tensor[] {rows}, b -> b.reduce(ReduceOp.MAX, mat, rows)),
                new Case("max [4096,1024]->[1,1024]", mat, new Tensor[] {cols}, b -> b.reduce(ReduceOp.MAX, mat, cols)),
                new Case("moments LayerNorm [64,128,512]", seq, new Tensor[] {seqMean, seqVar},
                        b -> b.moments(seq, seqMean, seqVar, 0)),
                new Case("moments BatchNorm [32,64,32,32]", img, new Tensor[] {chMean, chVar},
                        b -> b.moments(img, chMean, chVar, 0)),
                new Case("argmax [4096,1024] axis 1", mat, new Tensor[] {rows}, b -> b.argmax(mat, 1, rows)),
                new Case("softmax [4096,1024] axis 1", mat, new Tensor[] {matOut}, b -> b.softmax(mat, 1, matOut)),
                new Case("logSoftmax [4096,1024] axis 1", mat, new Tensor[] {matOut}, b -> b.logSoftmax(mat, 1, matOut)),
                new Case("softmaxBackward [4096,1024]", mat, new Tensor[] {matOut},
                        b -> b.softmaxBackward(probs, other, 1, matOut)),
                new Case("softmax [32,64,32,32] axis 1", img, new Tensor[] {imgOut}, b -> b.softmax(img, 1, imgOut)),
                new Case("crossEntropy+grad [4096,1000]", logits, new Tensor[] {grad},
                        b -> loss[0] = b.crossEntropy(logits, labels, grad)),
                new Case("mse+grad [4096,1024]", mat, new Tensor[] {mseGrad}, b -> loss[0] = b.mse(mat, other, mseGrad)),
            };
            for (Case c : cases) {
                check(s, c, cpu, loss);
                time(c, cpu, seconds);
            }
        }
    }

    /** Runs the case on the reference and on cpu and compares every output (and the returned loss). */
    private static void check(Scope s, Case c, CpuBackend cpu, double[] loss) {
        c.op.accept(REF);
        double refLoss = loss[0];
        Tensor[] expected = new Tensor[c.outputs.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = s.copyOf(c.outputs[i]);
        }
        c.op.accept(cpu);
        double rtol = c.input.dtype() == DType.F32 ? 1e-4 : 1e-10;
        for (int i = 0; i < expected.length; i++) {
            for (long j = 0; j < expected[i].numel(); j++) {
                double e = expected[i].getFlat(j), a = c.outputs[i].getFlat(j);
                if (!(Math.abs(a - e) <= rtol * (1 + Math.abs(e)))) {
                    throw new AssertionError(c.name + ": output " + i + " element " + j + " is " + a + ", reference " + e);
                }
            }
        }
        if (Math.abs(loss[0] - refLoss) > rtol * Math.abs(refLoss)) {
            throw new AssertionError(c.name + ": loss " + loss[0] + ", reference " + refLoss);
        }
    }

    private static void time(Case c, CpuBackend cpu, double seconds) {
        // Warm-up for as long as the measurement: the Vector API is slow until the JIT compiles it.
        for (long warm = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < warm; ) {
            c.op.accept(cpu);
        }
        double best = Double.MAX_VALUE, total = 0;
        int reps = 0;
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < until || reps < 3) {
            long t0 = System.nanoTime();
            c.op.accept(cpu);
            double t = (System.nanoTime() - t0) * 1e-9;
            best = Math.min(best, t);
            total += t;
            reps++;
        }
        double bytes = c.input.numel() * (double) c.input.dtype().byteSize();
        System.out.printf("%-34s %s best %8.3f ms (%6.1f GB/s)  mean %8.3f ms  (%d reps)%n", c.name, c.input.dtype(),
                best * 1e3, bytes / best * 1e-9, total / reps * 1e3, reps);
    }
}
