package optlab.tensor.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Shapes;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;
import optlab.tensor.internal.Checks;
import optlab.tensor.internal.ReduceChecks;
import optlab.tensor.update.HostUpdate;
import optlab.tensor.update.UpdateStage;

/**
 * The GPU backend: GEMM through cuBLAS, the other kernels from kernels.cu compiled by NVRTC, all on one stream
 * of one device. Operands may be device tensors ({@link #empty}, leased per scope; {@link #allocate}), used in
 * place, or host tensors (staged to the device and back per call, see {@link Staging}); a training run keeps its
 * data on the device and pays no staging. Results follow the reference backend's definitions (arithmetic in double,
 * stored in the tensors' dtype); the fused optimizer update follows the host kernels' float arithmetic bit for bit.
 * Convolution lowers to GEMMs ({@link DeviceConv}); pooling, batch normalization and the distance layer are
 * {@link LayerKernels}; reductions and the loss means are {@link DeviceReduce} (split across threads when long, and a
 * loss can stay on the device until the step's one read). A {@code copy} between dtypes converts on the host.
 */
public final class CudaBackend implements Backend {
    private static final int BLOCK = 256;
    /** Enough blocks to fill a large GPU; kernels loop grid-stride over the rest. */
    private static final int MAX_GRID = 8192;

    private final CudaDevice device;
    private final Cudart cudart;
    private final DevicePool pool;
    private final List<Long> owned = new ArrayList<>();
    private final DeviceConv conv = new DeviceConv(this);
    private final LayerKernels layers;
    private final DeviceReduce reductions = new DeviceReduce(this);
    private Thread lastThread;
    private boolean closed;

    private CudaBackend(CudaDevice device) {
        this.device = device;
        this.cudart = device.libs.cudart();
        this.pool = new DevicePool(cudart);
        this.layers = new LayerKernels(this, cudart);
        this.lastThread = Thread.currentThread();
    }

    /** The backend on device 0; throws {@link CudaUnavailableException} (one sentence) when CUDA cannot run here. */
    public static CudaBackend open() {
        return new CudaBackend(CudaDevice.open(0));
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String describe() {
        return "cuda: device " + device.ordinal + ", cuBLAS GEMM, NVRTC kernels, one stream";
    }

    @Override
    public int threads() {
        return 1;
    }

    // ------------------------------------------------------------------ device memory

    /** An uninitialized contiguous device tensor, freed when this backend closes (or by {@link #release}). */
    public Tensor allocate(DType dtype, int... shape) {
        Shapes.check(shape);
        long bytes = Math.max(1, Shapes.numel(shape)) * dtype.byteSize();
        long p = cudart.malloc(bytes);
        synchronized (owned) {
            owned.add(p);
        }
        return Tensor.wrapDevice(MemorySegment.ofAddress(p).reinterpret(bytes), dtype, shape);
    }

    /** Frees a tensor made by {@link #allocate} now; its views must not be used afterwards. */
    public void release(Tensor t) {
        long p = t.deviceMemory().address();
        synchronized (owned) {
            if (!owned.remove(p)) {
                throw new IllegalArgumentException(t + " was not allocated by this backend, or was released already");
            }
        }
        cudart.free(p);
    }

    /**
     * Device memory from this backend's pool, given back when {@code scope} closes: a per-step graph scope reuses the
     * same buffers every step (the pool stops calling cudaMalloc, which synchronizes the device, after the first).
     */
    @Override
    public Tensor empty(Scope scope, DType dtype, int... shape) {
        Shapes.check(shape);
        check();
        long bytes = Math.max(1, Shapes.numel(shape)) * dtype.byteSize();
        long p = pool.take(bytes);
        scope.onClose(() -> pool.give(p));
        return Tensor.wrapDevice(MemorySegment.ofAddress(p).reinterpret(bytes), dtype, shape);
    }

    @Override
    public boolean deviceMemory() {
        return true;
    }

    /** One element copied back (a loss): one small transfer, which waits for the queued work. */
    @Override
    public double item(Tensor t) {
        if (!t.onDevice()) {
            return t.item();
        }
        if (t.numel() != 1) {
            throw new IllegalStateException("item() needs one element, tensor has shape " + Arrays.toString(t.shape()));
        }
        check();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(t.dtype().byteSize(), 8);
            cudart.memcpy(host.address(), rawAddress(t), t.dtype().byteSize(), Cudart.DEVICE_TO_HOST);
            double v = t.dtype().get(host, 0);
            reductions.afterRead(rawAddress(t), v);
            return v;
        }
    }

    @Override
    public void synchronize() {
        device.synchronize();
    }

    // ------------------------------------------------------------------ memory

    @Override
    public void copy(Tensor src, Tensor dst) {
        Checks.broadcastsTo("copy", "src", src, dst);
        Tensor s = src.broadcastTo(dst.shape());
        if (!s.onDevice() && !dst.onDevice()) {
            dst.copyFrom(s); // host to host: no device work
            return;
        }
        if (src.dtype() != dst.dtype()) {
            convert(s, dst);
            return;
        }
        if (s.isContiguous() && dst.isContiguous() && s.sameShape(src)) {
            long bytes = dst.numel() * dst.dtype().byteSize();
            if (bytes > 0) {
                cudart.memcpy(rawAddress(dst), rawAddress(s), bytes, kind(s, dst));
            }
            return;
        }
        elementwise("copy", 0, 0, 0, 0, dst, s, null, null);
    }

    /**
     * A copy between dtypes through the host (rare: loading weights of another precision): src comes to the host,
     * is converted there element by element as the reference does, and goes to dst. Correct, not fast.
     */
    private void convert(Tensor src, Tensor dst) {
        try (Scope host = Scope.open()) {
            Tensor from = toHost(src, host), to = host.empty(dst.dtype(), dst.shape());
            to.copyFrom(from);
            copy(to, dst);
        }
    }

    @Override
    public void fill(Tensor dst, double value) {
        elementwise("fill", 0, value, 0, 0, dst, null, null, null);
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    public void gemm(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        int[] batch = DeviceGemm.check(a, b, c);
        DeviceGemm.batchStrides("a", a, batch, c);
        DeviceGemm.batchStrides("b", b, batch, c);
        Tensor ga = DeviceGemm.layout(a) == null ? contiguous(a) : a;
        Tensor gb = DeviceGemm.layout(b) == null ? contiguous(b) : b;
        Tensor gc = DeviceGemm.writable(c) ? c : null;
        try (Staging st = staging(new Tensor[] {ga, gb}, c)) {
            long pc;
            Tensor target = c;
            if (gc == null) {
                target = allocate(c.dtype(), c.shape());
                if (beta != 0) {
                    copy(c, target);
                }
            }
            pc = target == c ? st.address(c) : st.address(target);
            DeviceGemm.run(device.libs.cublas(), device.cublas, c.dtype(), batch, alpha, ga, st.address(ga), gb,
                    st.address(gb), beta, target, pc);
            if (target != c) {
                elementwise("copy", 0, 0, 0, 0, c, target, null, null, st);
                release(target);
            }
        } finally {
            if (ga != a) {
                release(ga);
            }
            if (gb != b) {
                release(gb);
            }
        }
    }

    /** A contiguous device copy of x (released by the caller). */
    private Tensor contiguous(Tensor x) {
        Tensor t = allocate(x.dtype(), x.shape());
        copy(x, t);
        return t;
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        String name = "unary " + op;
        Checks.sameDType(name, x, out);
        Checks.broadcastsTo(name, "x", x, out);
        elementwise("unary", op.ordinal(), 0, 0, 0, out, x.broadcastTo(out.shape()), null, null);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String name = "binary " + op;
        Checks.sameDType(name, a, b, out);
        Checks.broadcastsTo(name, "a", a, out);
        Checks.broadcastsTo(name, "b", b, out);
        elementwise("binary", op.ordinal(), 0, 0, 0, out, a.broadcastTo(out.shape()), b.broadcastTo(out.shape()), null);
    }

    @Override
    public void scalar(BinaryOp op, Tensor a, double s, Tensor out) {
        String name = "scalar " + op;
        Checks.sameDType(name, a, out);
        Checks.broadcastsTo(name, "a", a, out);
        elementwise("scalar", op.ordinal(), s, 0, 0, out, a.broadcastTo(out.shape()), null, null);
    }

    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        Checks.sameDType("clamp", x, out);
        Checks.broadcastsTo("clamp", "x", x, out);
        elementwise("clamp", 0, 0, lo, hi, out, x.broadcastTo(out.shape()), null, null);
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        Checks.sameDType("where", mask, a, b, out);
        Checks.broadcastsTo("where", "mask", mask, out);
        Checks.broadcastsTo("where", "a", a, out);
        Checks.broadcastsTo("where", "b", b, out);
        int[] s = out.shape();
        elementwise("where", 0, 0, 0, 0, out, mask.broadcastTo(s), a.broadcastTo(s), b.broadcastTo(s));
    }

    private void elementwise(String kernel, int op, double s, double lo, double hi, Tensor out, Tensor p0, Tensor p1,
            Tensor p2) {
        if (out.numel() == 0) {
            return;
        }
        try (Staging st = staging(new Tensor[] {p0, p1, p2}, out)) {
            elementwise(kernel, op, s, lo, hi, out, p0, p1, p2, st);
        }
    }

    /** Launches one Elementwise kernel; p0..p2 already have out's shape (broadcast views) or are null. */
    private void elementwise(String kernel, int op, double s, double lo, double hi, Tensor out, Tensor p0, Tensor p1,
            Tensor p2, Staging st) {
        long[] none = new long[out.rank()];
        Coalesced it = Coalesced.of(out.shape(), p0 == null ? none : p0.strides(), p1 == null ? none : p1.strides(),
                p2 == null ? none : p2.strides(), out.strides());
        KernelArgs args = new KernelArgs().i64(out.numel()).i64(it.rank()).i64(op).f64(s).f64(lo).f64(hi)
                .i64s(it.shape()).i64s(it.strides()[0]).i64s(it.strides()[1]).i64s(it.strides()[2]).i64s(it.strides()[3])
                .ptr(st.address(p0)).ptr(st.address(p1)).ptr(st.address(p2)).ptr(st.address(out));
        launch(kernel, out.dtype(), out.numel(), args);
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor out) {
        reductions.reduce(op, x, out);
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        reductions.argmax(x, axis, out);
    }

    @Override
    public void moments(Tensor x, Tensor mean, Tensor var, int correction) {
        reductions.moments(x, mean, var, correction);
    }

    // ------------------------------------------------------------------ softmax and losses

    @Override
    public void softmax(Tensor x, int axis, Tensor out) {
        Checks.sameDType("softmax", x, out);
        ReduceChecks.sameShapes("softmax", new String[] {"x", "out"}, x, out);
        fibers("softmax", false, x.axis(axis), x, null, out);
    }

    @Override
    public void logSoftmax(Tensor x, int axis, Tensor out) {
        Checks.sameDType("logSoftmax", x, out);
        ReduceChecks.sameShapes("logSoftmax", new String[] {"x", "out"}, x, out);
        fibers("softmax", true, x.axis(axis), x, null, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        Checks.sameDType("softmaxBackward", y, gy, gx);
        ReduceChecks.sameShapes("softmaxBackward", new String[] {"y", "gy", "gx"}, y, gy, gx);
        fibers("softmax_backward", false, y.axis(axis), y, gy, gx);
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        Checks.sameDType("logSoftmaxBackward", y, gy, gx);
        ReduceChecks.sameShapes("logSoftmaxBackward", new String[] {"y", "gy", "gx"}, y, gy, gx);
        fibers("softmax_backward", true, y.axis(axis), y, gy, gx);
    }

    private void fibers(String kernel, boolean log, int axis, Tensor p0, Tensor p1, Tensor out) {
        int[] fiber = p0.shape();
        fiber[axis] = 1;
        long n = Shapes.numel(fiber);
        if (n == 0 || p0.dim(axis) == 0) {
            return;
        }
        try (Staging st = staging(new Tensor[] {p0, p1}, out)) {
            KernelArgs args = new KernelArgs().i64(n).i64(p0.rank()).i64(axis).i64(p0.dim(axis)).i64(log ? 1 : 0)
                    .i64s(Arrays.stream(fiber).asLongStream().toArray()).i64s(p0.strides()).i64s(p1 == null ? new long[0] : p1.strides()).i64s(out.strides())
                    .ptr(st.address(p0)).ptr(st.address(p1)).ptr(st.address(out));
            launch(kernel, p0.dtype(), n, args);
        }
    }

    @Override
    public double crossEntropy(Tensor logits, Tensor target, Tensor grad) {
        return reductions.crossEntropy(logits, target, grad);
    }

    /** The loss stays on the device (when {@code loss} is there): no read-back, see {@link DeviceReduce}. */
    @Override
    public void crossEntropy(Tensor logits, Tensor target, Tensor grad, Tensor loss) {
        reductions.crossEntropy(logits, target, grad, loss);
    }

    @Override
    public double mse(Tensor a, Tensor b, Tensor grad) {
        return reductions.mse(a, b, grad);
    }

    @Override
    public void mse(Tensor a, Tensor b, Tensor grad, Tensor loss) {
        reductions.mse(a, b, grad, loss);
    }

    // ------------------------------------------------------------------ optimizer updates

    /**
     * The fused update as one kernel that interprets the stage list per element in the host kernels' IEEE operations
     * and order ({@link DeviceUpdate}): the same bits as the CPU. Host-resident operands take the host path.
     */
    @Override
    public void update(UpdateStage[] stages, double lr, Tensor params, Tensor grads, HostUpdate host) {
        if (!params.onDevice()) {
            host.run(stages, lr, params, grads);
            return;
        }
        KernelArgs args = DeviceUpdate.args(stages, lr, params, grads);
        if (params.numel() > 0) {
            check();
            launch("fused_update", params.dtype(), params.numel(), args);
        }
    }

    // ------------------------------------------------------------------ normalization, convolution, pooling, distances

    @Override
    public void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor out, Tensor mean, Tensor var) {
        layers.batchNorm(x, gamma, beta, eps, out, mean, var);
    }

    @Override
    public void batchNormBackward(Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps, Tensor gx,
            Tensor gGamma, Tensor gBeta) {
        layers.batchNormBackward(gOut, x, mean, var, gamma, eps, gx, gGamma, gBeta);
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        conv.forward(x, w, bias, spec, out);
    }

    @Override
    public void conv2dBackwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        conv.backwardInput(gOut, w, spec, gx);
    }

    @Override
    public void conv2dBackwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        conv.backwardWeight(gOut, x, spec, gw, gBias);
    }

    @Override
    public void maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        layers.maxPool2d(x, spec, out, argmax);
    }

    @Override
    public void maxPool2dBackward(Tensor gOut, Tensor argmax, Tensor gx) {
        layers.maxPool2dBackward(gOut, argmax, gx);
    }

    @Override
    public void avgPool2d(Tensor x, Pool2dSpec spec, Tensor out) {
        layers.avgPool2d(x, spec, out);
    }

    @Override
    public void avgPool2dBackward(Tensor gOut, Pool2dSpec spec, Tensor gx) {
        layers.avgPool2dBackward(gOut, spec, gx);
    }

    @Override
    public void pairwiseSqDist(Tensor x, Tensor c, Tensor w, Tensor out) {
        layers.pairwiseSqDist(x, c, w, out);
    }

    @Override
    public void pairwiseSqDistBackward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        layers.pairwiseSqDistBackward(g, x, c, w, gx, gc, gw);
    }

    // ------------------------------------------------------------------ plumbing

    Staging staging(Tensor[] inputs, Tensor... outputs) {
        check();
        return new Staging(cudart, pool).operands(inputs, outputs);
    }

    void launch(String kernel, DType dtype, long work, KernelArgs args) {
        String name = kernel + (dtype == DType.F32 ? "_f32" : "_f64");
        int grid = (int) Math.max(1, Math.min(MAX_GRID, (work + BLOCK - 1) / BLOCK));
        try (Arena a = Arena.ofConfined()) {
            device.libs.driver().launch(name, device.kernels.function(name), grid, BLOCK, device.stream, args.marshal(a));
        }
    }

    /** Launches a kernel by its full name with raw arguments: for the marshalling tests. */
    void launchRaw(String name, int grid, int block, KernelArgs args) {
        check();
        try (Arena a = Arena.ofConfined()) {
            device.libs.driver().launch(name, device.kernels.function(name), grid, block, device.stream, args.marshal(a));
        }
        device.synchronize();
    }

    Cudart cudart() {
        return cudart;
    }

    /** The reductions (tests lower their split threshold). */
    DeviceReduce reductions() {
        return reductions;
    }

    /** The convolution lowering (tests set its chunk size). */
    DeviceConv conv() {
        return conv;
    }

    /** The stream every call of this backend runs on. */
    long stream() {
        return device.stream;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("the cuda backend is closed");
        }
        Thread t = Thread.currentThread();
        if (t != lastThread) {
            device.makeCurrent(); // the runtime keeps the current device per thread
            lastThread = t;
        }
    }

    /** Address of element [0..] of a view, host or device. */
    static long rawAddress(Tensor t) {
        long base = t.onDevice() ? t.deviceMemory().address() : t.segment().address();
        return base + t.offset() * t.dtype().byteSize();
    }

    private static int kind(Tensor src, Tensor dst) {
        return src.onDevice() ? (dst.onDevice() ? Cudart.DEVICE_TO_DEVICE : Cudart.DEVICE_TO_HOST) : Cudart.HOST_TO_DEVICE;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            device.synchronize();
            synchronized (owned) {
                for (long p : owned) {
                    cudart.free(p);
                }
                owned.clear();
            }
            pool.close();
            conv.close();
        } finally {
            device.close();
        }
    }
}
