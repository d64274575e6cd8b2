package optlab.tensor.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.internal.DistanceShapes;
import optlab.tensor.internal.NormGeometry;
import optlab.tensor.internal.PoolGeometry;

/**
 * Launches of the layer kernels of kernels.cu that need no GEMM: pooling, batch normalization and the distance layer.
 * Each checks its arguments as the reference backend does, then runs one kernel (two for the distance backward; up to
 * three for a batch normalization with many elements per channel, split as {@link DeviceReduce} splits reductions)
 * on operands wherever they lie (host operands staged). Definitions follow the reference backend (sums in double, in
 * its order unless split), except where a kernel says otherwise.
 */
final class LayerKernels {
    private final CudaBackend cuda;
    private final Cudart cudart;

    LayerKernels(CudaBackend cuda, Cudart cudart) {
        this.cuda = cuda;
        this.cudart = cudart;
    }

    // ------------------------------------------------------------------ pooling

    void maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        PoolGeometry g = PoolGeometry.of("maxPool2d", x, spec, out, argmax);
        pool("max_pool", g, spec, x, out, argmax, out.numel(), 0);
    }

    void avgPool2d(Tensor x, Pool2dSpec spec, Tensor out) {
        PoolGeometry g = PoolGeometry.of("avgPool2d", x, spec, out, null);
        pool("avg_pool", g, spec, x, out, null, out.numel(), 0);
    }

    void avgPool2dBackward(Tensor gOut, Pool2dSpec spec, Tensor gx) {
        PoolGeometry g = PoolGeometry.backward("avgPool2dBackward", gOut, spec, gx);
        pool("avg_pool_backward", g, spec, gOut, gx, null, gx.numel(), 0);
    }

    /**
     * One thread per (n, c) plane scatters gOut to the argmax positions (no atomics: the thread owns the plane). An
     * argmax that is not a position raises a device flag, read back after the kernel, and the call fails naming it.
     */
    void maxPool2dBackward(Tensor gOut, Tensor argmax, Tensor gx) {
        PoolGeometry g = PoolGeometry.maxBackward(gOut, argmax, gx);
        if (gx.numel() == 0) {
            return;
        }
        try (Staging st = cuda.staging(new Tensor[] {gOut, argmax}, gx)) {
            long flag = st.temporary(8);
            cudart.memsetAsync(flag, 0, 8, cuda.stream());
            launchPool("max_pool_backward", g, new Pool2dSpec(1, 1, 1, 1, 0, 0), gOut, gx, argmax, g.planes(), flag, st);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment host = a.allocate(8);
                cudart.memcpy(host.address(), flag, 8, Cudart.DEVICE_TO_HOST);
                if (host.get(ValueLayout.JAVA_LONG, 0) != 0) {
                    throw new IllegalArgumentException("maxPool2dBackward: argmax holds a value that is not a position in"
                            + " a " + g.h() + "x" + g.w() + " plane of gx " + Arrays.toString(gx.shape()));
                }
            }
        }
    }

    private void pool(String kernel, PoolGeometry g, Pool2dSpec spec, Tensor in, Tensor out, Tensor argmax, long work,
            long flag) {
        if (work == 0) {
            return;
        }
        try (Staging st = cuda.staging(new Tensor[] {in}, out, argmax)) {
            launchPool(kernel, g, spec, in, out, argmax, work, flag, st);
        }
    }

    private void launchPool(String kernel, PoolGeometry g, Pool2dSpec spec, Tensor in, Tensor out, Tensor argmax,
            long work, long flag, Staging st) {
        KernelArgs args = new KernelArgs().i64(work).i64(g.n()).i64(g.c()).i64(g.h()).i64(g.w()).i64(g.ho()).i64(g.wo())
                .i64(spec.kernelH()).i64(spec.kernelW()).i64(spec.strideH()).i64(spec.strideW()).i64(spec.padH())
                .i64(spec.padW()).i64s(in.strides(), 4).i64s(out.strides(), 4)
                .i64s(argmax == null ? new long[0] : argmax.strides(), 4)
                .ptr(st.address(in)).ptr(st.address(out)).ptr(st.address(argmax)).ptr(flag);
        cuda.launch(kernel, out.dtype(), work, args);
    }

    // ------------------------------------------------------------------ batch normalization

    /**
     * Statistics and normalization in double, as the reference: one thread per channel for small batches, else split
     * as the reductions are ({@link #normalize}).
     */
    void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor out, Tensor mean, Tensor var) {
        NormGeometry g = NormGeometry.forward(x, gamma, beta, out, mean, var);
        if (g.c() == 0) {
            return;
        }
        try (Staging st = cuda.staging(new Tensor[] {x, gamma, beta}, out, mean, var)) {
            KernelArgs args = norm(g, eps, x, out, null).i64(stride(gamma)).i64(stride(beta)).i64(stride(mean))
                    .i64(stride(var)).i64(0).i64(0).ptr(st.address(x)).ptr(st.address(gamma)).ptr(st.address(beta))
                    .ptr(st.address(out)).ptr(st.address(mean)).ptr(st.address(var)).ptr(0).ptr(0).ptr(0);
            normalize("batch_norm", g, x, true, args, st);
        }
    }

    void batchNormBackward(Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps, Tensor gx,
            Tensor gGamma, Tensor gBeta) {
        NormGeometry g = NormGeometry.backward(gOut, x, mean, var, gamma, gx, gGamma, gBeta);
        if (g.c() == 0) {
            return;
        }
        try (Staging st = cuda.staging(new Tensor[] {gOut, x, mean, var, gamma}, gx, gGamma, gBeta)) {
            KernelArgs args = norm(g, eps, x, gx, gOut).i64(stride(gamma)).i64(0).i64(stride(mean)).i64(stride(var))
                    .i64(stride(gGamma)).i64(stride(gBeta)).ptr(st.address(x)).ptr(st.address(gamma)).ptr(0)
                    .ptr(st.address(gx)).ptr(st.address(mean)).ptr(st.address(var)).ptr(st.address(gOut))
                    .ptr(st.address(gGamma)).ptr(st.address(gBeta));
            normalize("batch_norm_backward", g, x, gx != null, args, st);
        }
    }

    /**
     * Completes args (parts P, workspace) and launches: with P = 1 the one-thread-per-channel kernel; else
     * {@code kernel_partial} (C·P threads into 2·C·P doubles), {@code kernel_combine} (per channel, in order, into 2·C
     * doubles after them) and, when there is a per-element output, {@code kernel_apply} (one thread per element). P is
     * the reductions' rule ({@link DeviceReduce#parts}) for N·spatial elements per channel.
     */
    private void normalize(String kernel, NormGeometry g, Tensor x, boolean perElement, KernelArgs args, Staging st) {
        long c = g.c(), parts = cuda.reductions().parts((long) g.n() * g.spatial(), c);
        long work = parts == 1 ? 0 : st.temporary(8 * (2 * c * parts + 2 * c));
        args.i64(parts).ptr(work);
        if (parts == 1) {
            cuda.launch(kernel, x.dtype(), c, args);
            return;
        }
        cuda.launch(kernel + "_partial", x.dtype(), c * parts, args);
        cuda.launch(kernel + "_combine", x.dtype(), c, args);
        if (perElement) {
            cuda.launch(kernel + "_apply", x.dtype(), x.numel(), args);
        }
    }

    /** The Norm struct's leading slots: channels, batch, spatial size, rank, eps, shape and the strides of x, out, g. */
    private static KernelArgs norm(NormGeometry g, double eps, Tensor x, Tensor out, Tensor gOut) {
        long[] none = new long[x.rank()];
        return new KernelArgs().i64(g.c()).i64(g.n()).i64(g.spatial()).i64(x.rank()).f64(eps).i64s(longs(x.shape()))
                .i64s(x.strides()).i64s(out == null ? none : out.strides()).i64s(gOut == null ? none : gOut.strides());
    }

    private static long stride(Tensor t) {
        return t == null ? 0 : t.stride(0);
    }

    // ------------------------------------------------------------------ distances

    void pairwiseSqDist(Tensor x, Tensor c, Tensor w, Tensor out) {
        DistanceShapes s = DistanceShapes.forward(x, c, w, out);
        long work = (long) s.n() * s.m();
        if (work == 0) {
            return;
        }
        try (Staging st = cuda.staging(new Tensor[] {x, c, w}, out)) {
            cuda.launch("sq_dist", x.dtype(), work, distance(s, work, x, c, w, null, out, null, null, st));
        }
    }

    /** gx: one thread per (n, d) summing over m; gc and gw: one thread per (m, d) summing over n. */
    void pairwiseSqDistBackward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        DistanceShapes s = DistanceShapes.backward(g, x, c, w, gx, gc, gw);
        try (Staging st = cuda.staging(new Tensor[] {g, x, c, w}, gx, gc, gw)) {
            long perX = (long) s.n() * s.d(), perC = (long) s.m() * s.d();
            if (gx != null && perX > 0) {
                cuda.launch("sq_dist_backward_x", x.dtype(), perX, distance(s, perX, x, c, w, g, gx, null, null, st));
            }
            if ((gc != null || gw != null) && perC > 0) {
                cuda.launch("sq_dist_backward_c", x.dtype(), perC, distance(s, perC, x, c, w, g, null, gc, gw, st));
            }
        }
    }

    private static KernelArgs distance(DistanceShapes s, long work, Tensor x, Tensor c, Tensor w, Tensor g, Tensor a,
            Tensor b, Tensor e, Staging st) {
        KernelArgs args = new KernelArgs().i64(work).i64(s.n()).i64(s.m()).i64(s.d());
        for (Tensor t : new Tensor[] {x, c, w, g, a, b, e}) {
            args.i64(t == null ? 0 : t.stride(0)).i64(t == null ? 0 : t.stride(1));
        }
        for (Tensor t : new Tensor[] {x, c, w, g, a, b, e}) {
            args.ptr(st.address(t));
        }
        return args;
    }

    private static long[] longs(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }
}
