package optlab.tensor.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Shapes;
import optlab.tensor.Tensor;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.internal.Checks;
import optlab.tensor.internal.ReduceChecks;

/**
 * Reductions on the device: reduce (SUM, MEAN, MAX, MIN), argmax, moments, and the means that turn the loss kernels'
 * per-element buffers into a loss. Each output folds count elements of x. One thread per output would leave a GPU
 * idle on a full reduction (a loss mean, a norm over every parameter: nOut = 1), so for large counts the fold is split
 * in two launches (kernels.cu's Reduction): nOut·P threads each fold a strided share of the reduced axes into a double
 * partial in a pooled workspace, then one thread per output folds its P partials in order. P depends only on count and
 * nOut ({@link #parts}), never on the launch shape, so results are deterministic; P = 1 is the single launch. Sums
 * accumulate in double as in the reference (in another order once split); MAX and MIN fold as Math.max/min (NaN wins,
 * +0 above -0), which no order changes; moments combine the shares' sums and centred sums of squares exactly
 * (the parallel-variance identity), never through sum x² − n·mean².
 */
final class DeviceReduce {
    /** Fewest elements a share folds: below 2·MIN_SHARE per output a reduction stays one thread per output. */
    static final long MIN_SHARE = 256;
    /** Threads the first launch aims at: enough to keep a large GPU's memory system busy. */
    static final long TARGET_THREADS = 1L << 16;
    /** Most shares per output: the second launch folds them one after another on one thread. */
    static final long MAX_PARTS = 4096;

    private final CudaBackend cuda;
    /** Fewest elements per share ({@link #MIN_SHARE}; tests lower it to split small reductions). */
    long minShare = MIN_SHARE;
    /** A label check owed to the next {@link CudaBackend#item} of a loss written on the device, or null. */
    private PendingLabels pending;

    private record PendingLabels(long lossAddress, Tensor target, int classes) {
    }

    DeviceReduce(CudaBackend cuda) {
        this.cuda = cuda;
    }

    /**
     * Shares per output for count elements into nOut outputs: about TARGET_THREADS threads in all, each folding at
     * least {@link #minShare} elements, at most MAX_PARTS per output; 1 (no split) for small counts or many outputs.
     */
    long parts(long count, long nOut) {
        long byShare = count / minShare, byThreads = (TARGET_THREADS + nOut - 1) / nOut;
        return Math.max(1, Math.min(MAX_PARTS, Math.min(byShare, byThreads)));
    }

    // ------------------------------------------------------------------ reduce, argmax, moments

    void reduce(ReduceOp op, Tensor x, Tensor out) {
        String name = "reduce " + op;
        Checks.sameDType(name, x, out);
        ReduceChecks.keepdim(name, "out", x, out);
        reduction("reduce", op.ordinal(), 0, x, out.shape(), reducedShape(x, out), out, null);
    }

    void argmax(Tensor x, int axis, Tensor out) {
        Checks.sameDType("argmax", x, out);
        int a = x.axis(axis);
        ReduceChecks.alongAxis("argmax", "out", x, a, out);
        if (x.dim(a) == 0 && out.numel() > 0) {
            throw new IllegalArgumentException("argmax: axis " + a + " of x " + Checks.describe(x) + " is empty");
        }
        int[] red = new int[x.rank()];
        Arrays.fill(red, 1);
        red[a] = x.dim(a);
        reduction("argmax", 0, 0, x, out.shape(), red, out, null);
    }

    void moments(Tensor x, Tensor mean, Tensor var, int correction) {
        Checks.sameDType("moments", x, mean, var);
        ReduceChecks.keepdim("moments", "mean", x, mean);
        ReduceChecks.sameShapes("moments", new String[] {"mean", "var"}, mean, var);
        if (correction < 0) {
            throw new IllegalArgumentException("moments: correction must be >= 0, got " + correction);
        }
        reduction("moments", 0, correction, x, mean.shape(), reducedShape(x, mean), mean, var);
    }

    /** x's shape on the axes where the keepdim output has extent 1, and 1 elsewhere. */
    private static int[] reducedShape(Tensor x, Tensor out) {
        int[] xs = x.shape(), os = out.shape(), red = new int[xs.length];
        for (int d = 0; d < xs.length; d++) {
            red[d] = os[d] == 1 ? xs[d] : 1;
        }
        return red;
    }

    private void reduction(String kernel, int op, int correction, Tensor x, int[] outShape, int[] redShape, Tensor out,
            Tensor out2) {
        if (Shapes.numel(outShape) == 0) {
            return;
        }
        try (Staging st = cuda.staging(new Tensor[] {x}, out, out2)) {
            launch(st, kernel, x.dtype(), false, op, correction, longs(outShape), longs(redShape), x.strides(),
                    out.strides(), out2 == null ? new long[0] : out2.strides(), st.address(x), st.address(out),
                    st.address(out2));
        }
    }

    /**
     * One Reduction: the single kernel when {@link #parts} is 1 (always for argmax, whose first-index rule is a scan),
     * else {@code kernel_partial} over nOut·P threads into a workspace from the staging's pool, then
     * {@code kernel_combine}.
     */
    private void launch(Staging st, String kernel, DType dtype, boolean xDouble, int op, int correction, long[] outShape,
            long[] redShape, long[] sx, long[] so, long[] so2, long x, long out, long out2) {
        long nOut = numel(outShape), count = numel(redShape);
        long parts = kernel.equals("argmax") ? 1 : parts(count, nOut);
        long doubles = kernel.equals("moments") ? 2 : 1; // per partial: a sum (moments: and its centred squares)
        long partial = parts == 1 ? 0 : st.temporary(8 * doubles * nOut * parts);
        KernelArgs args = new KernelArgs().i64(nOut).i64(outShape.length).i64(op).i64(count).i64(correction).i64(parts)
                .i64(xDouble ? 1 : 0).i64s(outShape).i64s(redShape).i64s(sx).i64s(so).i64s(so2).ptr(x).ptr(out).ptr(out2)
                .ptr(partial);
        if (parts == 1) {
            cuda.launch(kernel, dtype, nOut, args);
        } else {
            cuda.launch(kernel + "_partial", dtype, nOut * parts, args);
            cuda.launch(kernel + "_combine", dtype, nOut, args);
        }
    }

    /** out (a dtype scalar at a device address) = the mean of n contiguous doubles at {@code buffer}, on the device. */
    private void mean(Staging st, long buffer, long n, DType dtype, long out) {
        launch(st, "reduce", dtype, true, ReduceOp.MEAN.ordinal(), 0, new long[] {1}, new long[] {n}, new long[] {1},
                new long[] {0}, new long[0], buffer, out, 0);
    }

    // ------------------------------------------------------------------ losses

    /** The mean loss read back: one double, after the per-row losses are averaged on the device. */
    double crossEntropy(Tensor logits, Tensor target, Tensor grad) {
        ReduceChecks.crossEntropy(logits, target, grad);
        double loss;
        try (Staging st = cuda.staging(new Tensor[] {logits, target}, grad)) {
            long out = st.temporary(8);
            crossEntropy(st, logits, target, grad, out, DType.F64);
            loss = readDouble(out);
        }
        if (Double.isNaN(loss) && target.rank() == 1) {
            checkLabels(target, logits.dim(1));
        }
        return loss;
    }

    /**
     * The mean loss written to {@code loss} on the device, not read back: the step's one read is the caller's. Host
     * labels are checked first, as the reference does; device labels that are not class indices make the loss NaN,
     * and the next {@link #afterRead} of it names the first such label.
     */
    void crossEntropy(Tensor logits, Tensor target, Tensor grad, Tensor loss) {
        ReduceChecks.crossEntropy(logits, target, grad);
        scalarOutput("crossEntropy", logits, loss);
        boolean labels = target.rank() == 1;
        if (labels && !target.onDevice()) {
            checkLabels(target, logits.dim(1));
        }
        try (Staging st = cuda.staging(new Tensor[] {logits, target}, grad, loss)) {
            crossEntropy(st, logits, target, grad, st.address(loss), loss.dtype());
        }
        pending = null;
        if (labels && target.onDevice()) {
            if (loss.onDevice()) {
                pending = new PendingLabels(CudaBackend.rawAddress(loss), target, logits.dim(1));
            } else if (Double.isNaN(loss.item())) { // a host loss has been read back already
                checkLabels(target, logits.dim(1));
            }
        }
    }

    /** cross_entropy's per-row losses (double[n], a pooled temporary), then their mean into out (dtype). */
    private void crossEntropy(Staging st, Tensor logits, Tensor target, Tensor grad, long out, DType dtype) {
        int n = logits.dim(0), c = logits.dim(1);
        boolean labels = target.rank() == 1;
        long rowLoss = st.temporary(8L * n);
        KernelArgs args = new KernelArgs().i64(n).i64(c).i64(labels ? 1 : 0).i64(logits.stride(0)).i64(logits.stride(1))
                .i64(target.stride(0)).i64(labels ? 0 : target.stride(1))
                .i64(grad == null ? 0 : grad.stride(0)).i64(grad == null ? 0 : grad.stride(1))
                .ptr(st.address(logits)).ptr(st.address(target)).ptr(st.address(grad)).ptr(rowLoss);
        cuda.launch("cross_entropy", logits.dtype(), n, args);
        mean(st, rowLoss, n, dtype, out);
    }

    double mse(Tensor a, Tensor b, Tensor grad) {
        checkMse(a, b, grad);
        if (a.numel() == 0) {
            return Double.NaN;
        }
        try (Staging st = cuda.staging(new Tensor[] {a, b}, grad)) {
            long out = st.temporary(8);
            mse(st, a, b, grad, out, DType.F64);
            return readDouble(out);
        }
    }

    /** The mean squared error written to {@code loss} on the device (NaN for empty operands, as the reference). */
    void mse(Tensor a, Tensor b, Tensor grad, Tensor loss) {
        checkMse(a, b, grad);
        scalarOutput("mse", a, loss);
        try (Staging st = cuda.staging(new Tensor[] {a, b}, grad, loss)) {
            mse(st, a, b, grad, st.address(loss), loss.dtype());
        }
    }

    /** squared_error's squared differences (double[n], a pooled temporary), then their mean into out (dtype). */
    private void mse(Staging st, Tensor a, Tensor b, Tensor grad, long out, DType dtype) {
        long n = a.numel();
        long buf = st.temporary(8L * n);
        if (n > 0) {
            Tensor g = grad == null ? a : grad; // strides only, when there is no gradient
            Coalesced it = Coalesced.of(a.shape(), a.strides(), b.strides(), g.strides());
            KernelArgs args = new KernelArgs().i64(n).i64(it.rank()).i64(0).f64(0).f64(0).f64(0).i64s(it.shape())
                    .i64s(it.strides()[0]).i64s(it.strides()[1]).i64s(new long[0]).i64s(it.strides()[2])
                    .ptr(st.address(a)).ptr(st.address(b)).ptr(buf).ptr(st.address(grad));
            cuda.launch("squared_error", a.dtype(), n, args);
        }
        mean(st, buf, n, dtype, out); // n = 0: 0 / 0 = NaN
    }

    private static void checkMse(Tensor a, Tensor b, Tensor grad) {
        Checks.sameDType("mse", a, b, grad);
        ReduceChecks.sameShapes("mse", new String[] {"a", "b", "grad"}, a, b, grad);
    }

    private static void scalarOutput(String op, Tensor like, Tensor loss) {
        Checks.sameDType(op, like, loss);
        if (loss.numel() != 1) {
            throw new IllegalArgumentException(op + ": loss must have one element, got " + Checks.describe(loss));
        }
    }

    // ------------------------------------------------------------------ reading back

    /**
     * Called by {@link CudaBackend#item} with the value it read from {@code address}: when that is a loss written by
     * {@link #crossEntropy(Tensor, Tensor, Tensor, Tensor)} on device labels and it is NaN, the labels are checked
     * (and the first that is not a class index named, as the reference does at the call). The owed check is
     * dropped at the first read either way.
     */
    void afterRead(long address, double value) {
        PendingLabels p = pending;
        pending = null;
        if (p != null && p.lossAddress() == address && Double.isNaN(value)) {
            checkLabels(p.target(), p.classes());
        }
    }

    /** Names the first target entry that is not a class index in [0, classes), as the reference backend does. */
    private void checkLabels(Tensor target, int classes) {
        try (Scope s = Scope.open()) {
            Tensor t = cuda.toHost(target, s);
            for (int i = 0; i < t.dim(0); i++) {
                double v = t.get(i);
                if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                    throw new IllegalArgumentException("crossEntropy: target[" + i + "] = " + v
                            + " is not a class index in [0, " + classes + ") (target " + Checks.describe(target) + ")");
                }
            }
        }
    }

    private double readDouble(long devicePointer) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(8, 8);
            cuda.cudart().memcpy(host.address(), devicePointer, 8, Cudart.DEVICE_TO_HOST);
            return host.get(ValueLayout.JAVA_DOUBLE, 0);
        }
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static long[] longs(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }
}
