package optlab.tensor.backend;

import java.io.PrintStream;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * A backend's kernels against the reference backend on awkward sizes, in F32 and F64, with operands where the
 * backend keeps them ({@link Backend#empty}): the check a machine without a JDK or JUnit can run (the GPU suite's
 * first step). Prints one line per op and returns the number of failures.
 */
public final class BackendCheck {
    private static final int[] SIZES = {1, 3, 17, 31, 65, 127};

    private final Backend backend;
    private final Backend reference = Backends.reference();
    private final PrintStream log;
    private int failures;

    private BackendCheck(Backend backend, PrintStream log) {
        this.backend = backend;
        this.log = log;
    }

    /** Runs every check of {@code backend}; returns the number of failed ones. */
    public static int run(Backend backend, PrintStream log) {
        BackendCheck c = new BackendCheck(backend, log);
        for (DType d : DType.values()) {
            c.all(d);
        }
        log.println(c.failures == 0 ? "backend check: all passed" : "backend check: " + c.failures + " FAILED");
        return c.failures;
    }

    private void all(DType d) {
        double tol = d == DType.F32 ? 1e-4 : 1e-10;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            check("gemm" + (ta ? " aT" : "") + (tb ? " bT" : "") + " " + d, tol, (b, s, x) -> {
                int m = 33, n = 17, k = 65;
                Tensor a = put(b, s, random(s, d, 1, ta ? new int[] {k, m} : new int[] {m, k}));
                Tensor bb = put(b, s, random(s, d, 2, tb ? new int[] {n, k} : new int[] {k, n}));
                Tensor c = put(b, s, random(s, d, 3, m, n));
                b.gemm(ta, tb, 0.5, a, bb, 1, c);
                return c;
            });
        }
        for (UnaryOp op : UnaryOp.values()) {
            check("unary " + op + " " + d, tol, (b, s, x) -> {
                Tensor in = put(b, s, uniform(s, d, 4, 0.1, 3, 5, 127));
                Tensor out = b.empty(s, d, 5, 127);
                b.unary(op, in, out);
                return out;
            });
        }
        for (BinaryOp op : BinaryOp.values()) {
            check("binary " + op + " " + d, tol, (b, s, x) -> {
                Tensor p = put(b, s, uniform(s, d, 5, 0.5, 2, 31, 65)), q = put(b, s, uniform(s, d, 6, 0.5, 2, 1, 65));
                Tensor out = b.empty(s, d, 31, 65);
                b.binary(op, p, q, out);
                return out;
            });
        }
        for (ReduceOp op : ReduceOp.values()) {
            for (int axis = 0; axis < 2; axis++) {
                int ax = axis;
                check("reduce " + op + " axis " + axis + " " + d, tol, (b, s, x) -> {
                    Tensor in = put(b, s, random(s, d, 7, 127, 17));
                    Tensor out = b.empty(s, d, ax == 0 ? 1 : 127, ax == 0 ? 17 : 1);
                    b.reduce(op, in, out);
                    return out;
                });
            }
        }
        for (ReduceOp op : ReduceOp.values()) { // a full reduction long enough for a device backend to split it
            check("reduce " + op + " of 1000003 " + d, tol, (b, s, x) -> {
                Tensor in = put(b, s, random(s, d, 10, 1_000_003));
                Tensor out = b.empty(s, d, 1);
                b.reduce(op, in, out);
                return out;
            });
        }
        check("moments of 7 x 20011 " + d, tol, (b, s, x) -> {
            Tensor in = put(b, s, uniform(s, d, 11, 100, 101, 7, 20011));
            Tensor mean = b.empty(s, d, 7, 1), var = b.empty(s, d, 7, 1);
            b.moments(in, mean, var, 1);
            Tensor out = s.empty(d, 7, 2);
            out.slice(1, 0, 1).copyFrom(b.toHost(mean, s));
            out.slice(1, 1, 2).copyFrom(b.toHost(var, s));
            return out;
        });
        check("logSoftmax " + d, tol, (b, s, x) -> {
            Tensor in = put(b, s, random(s, d, 8, 65, 10));
            Tensor out = b.empty(s, d, 65, 10);
            b.logSoftmax(in, 1, out);
            return out;
        });
        check("crossEntropy " + d, tol, (b, s, x) -> {
            Tensor logits = put(b, s, random(s, d, 9, 127, 10));
            double[] labels = new double[127];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (i * 3) % 10;
            }
            Tensor target = put(b, s, s.of(d, labels, 127));
            Tensor grad = b.empty(s, d, 127, 10);
            double loss = b.crossEntropy(logits, target, grad);
            Tensor out = s.empty(d, 127, 11);
            Tensor g = s.empty(d, 127, 10);
            b.copy(grad, g);
            out.slice(1, 0, 10).copyFrom(g);
            out.slice(1, 10, 11).copyFrom(s.full(d, loss, 127, 1));
            return out;
        });
        check("crossEntropy, loss stored " + d, tol, (b, s, x) -> {
            Tensor logits = put(b, s, random(s, d, 12, 127, 10));
            double[] labels = new double[127];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (i * 7) % 10;
            }
            Tensor loss = b.empty(s, d);
            b.crossEntropy(logits, put(b, s, s.of(d, labels, 127)), null, loss);
            return loss;
        });
        layers(d, tol);
        for (int n : SIZES) {
            check("copy/fill/scalar n=" + n + " " + d, tol, (b, s, x) -> {
                Tensor in = put(b, s, random(s, d, n, 3, n));
                Tensor out = b.empty(s, d, 3, n);
                b.fill(out, 0.25);
                b.scalar(BinaryOp.MUL, in, -1.5, out);
                return out;
            });
        }
    }

    /** Convolution, pooling, batch normalization and the distance layer, forward and backward, on awkward sizes. */
    private void layers(DType d, double tol) {
        Conv2dSpec conv = new Conv2dSpec(2, 1, 1, 0);
        check("conv2d " + d, tol, (b, s, x) -> {
            Tensor out = b.empty(s, d, 3, 5, 4, 3);
            b.conv2d(put(b, s, random(s, d, 10, 3, 2, 7, 5)), put(b, s, random(s, d, 11, 5, 2, 3, 3)),
                    put(b, s, random(s, d, 12, 5)), conv, out);
            return out;
        });
        check("conv2dBackwardInput " + d, tol, (b, s, x) -> {
            Tensor gx = b.empty(s, d, 3, 2, 7, 5);
            b.conv2dBackwardInput(put(b, s, random(s, d, 13, 3, 5, 4, 3)), put(b, s, random(s, d, 11, 5, 2, 3, 3)), conv, gx);
            return gx;
        });
        check("conv2dBackwardWeight " + d, tol, (b, s, x) -> {
            Tensor gw = b.empty(s, d, 5, 2, 3, 3), gBias = b.empty(s, d, 5), both = b.empty(s, d, 95);
            b.conv2dBackwardWeight(put(b, s, random(s, d, 13, 3, 5, 4, 3)), put(b, s, random(s, d, 10, 3, 2, 7, 5)), conv,
                    gw, gBias);
            b.copy(gw.reshape(90), both.slice(0, 0, 90));
            b.copy(gBias, both.slice(0, 90, 95));
            return both;
        });
        Pool2dSpec pool = new Pool2dSpec(3, 2, 2, 1, 1, 1);
        check("maxPool2d and its backward " + d, tol, (b, s, x) -> {
            Tensor out = b.empty(s, d, 2, 3, 4, 6), arg = b.empty(s, d, 2, 3, 4, 6), gx = b.empty(s, d, 2, 3, 7, 5);
            b.maxPool2d(put(b, s, random(s, d, 14, 2, 3, 7, 5)), pool, out, arg);
            b.maxPool2dBackward(out, arg, gx);
            return gx;
        });
        check("avgPool2d and its backward " + d, tol, (b, s, x) -> {
            Tensor out = b.empty(s, d, 2, 3, 4, 6), gx = b.empty(s, d, 2, 3, 7, 5);
            b.avgPool2d(put(b, s, random(s, d, 14, 2, 3, 7, 5)), pool, out);
            b.avgPool2dBackward(out, pool, gx);
            return gx;
        });
        check("batchNorm and its backward " + d, tol, (b, s, x) -> {
            Tensor in = put(b, s, random(s, d, 15, 5, 3, 4, 2)), gamma = put(b, s, random(s, d, 16, 3));
            Tensor out = b.empty(s, d, 5, 3, 4, 2), mean = b.empty(s, d, 3), var = b.empty(s, d, 3);
            Tensor gx = b.empty(s, d, 5, 3, 4, 2), gGamma = b.empty(s, d, 3), gBeta = b.empty(s, d, 3);
            b.batchNorm(in, gamma, put(b, s, random(s, d, 17, 3)), 1e-5, out, mean, var);
            b.batchNormBackward(out, in, mean, var, gamma, 1e-5, gx, gGamma, gBeta);
            return gx;
        });
        check("pairwiseSqDist and its backward " + d, tol, (b, s, x) -> {
            Tensor in = put(b, s, random(s, d, 18, 9, 17)), c = put(b, s, random(s, d, 19, 7, 17));
            Tensor w = put(b, s, uniform(s, d, 20, 0.1, 1, 7, 17)), out = b.empty(s, d, 9, 7);
            Tensor gx = b.empty(s, d, 9, 17), gc = b.empty(s, d, 7, 17), gw = b.empty(s, d, 7, 17);
            b.pairwiseSqDist(in, c, w, out);
            b.pairwiseSqDistBackward(out, in, c, w, gx, gc, gw);
            Tensor all = b.empty(s, d, 3, 17, 9);
            b.copy(gx.mT(), all.select(0, 0));
            b.copy(gc.mT(), all.select(0, 1).slice(1, 0, 7));
            b.copy(gw.mT(), all.select(0, 2).slice(1, 0, 7));
            b.fill(all.select(0, 1).slice(1, 7, 9), 0);
            b.fill(all.select(0, 2).slice(1, 7, 9), 0);
            return all;
        });
        check("softmaxBackward and argmax " + d, tol, (b, s, x) -> {
            Tensor y = b.empty(s, d, 33, 10), gx = b.empty(s, d, 33, 11);
            b.softmax(put(b, s, random(s, d, 21, 33, 10)), 1, y);
            b.softmaxBackward(y, put(b, s, random(s, d, 22, 33, 10)), 1, gx.slice(1, 0, 10));
            b.argmax(y, 1, gx.slice(1, 10, 11));
            return gx;
        });
    }

    /** Builds an op's result on a backend, in a scope; the result is copied to the host for comparison. */
    private interface Case {
        Tensor run(Backend b, Scope s, Void unused);
    }

    private void check(String name, double tol, Case c) {
        try (Scope s = Scope.open()) {
            Tensor want = c.run(reference, s, null);
            Tensor got = s.emptyLike(want);
            backend.copy(c.run(backend, s, null), got);
            long n = want.numel();
            for (long i = 0; i < n; i++) {
                double e = want.getFlat(i), a = got.getFlat(i);
                boolean same = Double.isNaN(e) ? Double.isNaN(a) : Math.abs(a - e) <= tol * (1 + Math.abs(e));
                if (!same) {
                    failures++;
                    log.println("FAIL " + name + ": element " + i + " expected " + e + ", got " + a);
                    return;
                }
            }
            log.println("ok   " + name);
        } catch (RuntimeException e) {
            failures++;
            log.println("FAIL " + name + ": " + e);
        }
    }

    /** {@code host} where {@code b} keeps its operands. */
    private static Tensor put(Backend b, Scope s, Tensor host) {
        Tensor t = b.empty(s, host.dtype(), host.shape());
        b.copy(host, t);
        return t;
    }

    private static Tensor random(Scope s, DType d, long seed, int... shape) {
        return uniform(s, d, seed, -1, 1, shape);
    }

    private static Tensor uniform(Scope s, DType d, long seed, double lo, double hi, int... shape) {
        return s.uniform(d, new SplittableRandom(seed), lo, hi, shape);
    }
}
