package optlab.tensor.cpu;

import java.lang.foreign.MemorySegment;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.internal.PoolGeometry;

/**
 * 2-D max and average pooling by direct loops over windows ({@link PoolF32}, {@link PoolF64}), and
 * for the common 2×2, stride 2, unpadded case on planes with unit stride along W, a vector at a time
 * ({@link Pool2x2F32}, {@link Pool2x2F64}; max-pool backward takes that path whenever every argmax
 * lies in its own 2×2 block, whatever spec produced it). Work is
 * split over the N·C image planes, which are independent in both directions (backward scatters stay
 * within a plane, so overlapping windows need no locking). Argmax indices are stored as numbers
 * of the tensor's dtype: exact in F32 for planes of up to 2^24 cells.
 */
final class CpuPool {
    /** Elements of input per task, at least: below it, dispatch costs more than the loop. */
    private static final long TASK_MIN = 1L << 14;

    private CpuPool() {
    }

    /** A pooling op's work on the image plane [n, c]. */
    private interface PlaneBody {
        void run(int n, int c);
    }

    static void maxPool2d(Parallel parallel, Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        PoolGeometry g = PoolGeometry.of("maxPool2d", x, spec, out, argmax);
        boolean f32 = x.dtype() == DType.F32;
        boolean fast = twoByTwo(spec) && unitW(x, out) && (argmax == null || argmax.stride(3) == 1);
        boolean packed = fast && packedPlanes(f32, g, x, out, argmax);
        forPlanes(parallel, g, (n, c) -> {
            long xo = plane(x, n, c), oo = plane(out, n, c), ao = argmax == null ? 0 : plane(argmax, n, c);
            MemorySegment as = argmax == null ? null : argmax.segment();
            long ah = argmax == null ? 0 : argmax.stride(2);
            if (packed && f32) {
                Pool2x2PackedF32.max(g.ho(), g.wo(), x.segment(), xo, out.segment(), oo, as, ao);
            } else if (packed) {
                Pool2x2PackedF64.max(g.ho(), g.wo(), x.segment(), xo, out.segment(), oo, as, ao);
            } else if (fast && f32) {
                Pool2x2F32.max(0, g.w(), g.ho(), g.wo(), x.segment(), xo, x.stride(2), out.segment(), oo, out.stride(2),
                        as, ao, ah);
            } else if (fast) {
                Pool2x2F64.max(0, g.w(), g.ho(), g.wo(), x.segment(), xo, x.stride(2), out.segment(), oo, out.stride(2),
                        as, ao, ah);
            } else if (f32) {
                PoolF32.max(g, spec, x, xo, out, oo, argmax, ao);
            } else {
                PoolF64.max(g, spec, x, xo, out, oo, argmax, ao);
            }
        });
    }

    static void maxPool2dBackward(Parallel parallel, Tensor gOut, Tensor argmax, Tensor gx) {
        PoolGeometry g = PoolGeometry.maxBackward(gOut, argmax, gx);
        boolean f32 = gx.dtype() == DType.F32;
        boolean fast = g.ho() == g.h() / 2 && g.wo() == g.w() / 2 && unitW(gOut, argmax) && gx.stride(3) == 1;
        boolean packed = fast && packedPlanes(f32, g, gx, gOut, argmax);
        forPlanes(parallel, g, (n, c) -> {
            long go = plane(gOut, n, c), ao = plane(argmax, n, c), xo = plane(gx, n, c);
            boolean done;
            if (packed) {
                done = f32
                        ? Pool2x2PackedF32.maxBackward(g.h(), g.ho(), g.wo(), gOut.segment(), go, argmax.segment(), ao,
                                gx.segment(), xo)
                        : Pool2x2PackedF64.maxBackward(g.h(), g.ho(), g.wo(), gOut.segment(), go, argmax.segment(), ao,
                                gx.segment(), xo);
            } else {
                done = fast && (f32
                        ? Pool2x2F32.maxBackward(0, g.h(), g.w(), g.ho(), g.wo(), gOut.segment(), go, gOut.stride(2),
                                argmax.segment(), ao, argmax.stride(2), gx.segment(), xo, gx.stride(2))
                        : Pool2x2F64.maxBackward(0, g.h(), g.w(), g.ho(), g.wo(), gOut.segment(), go, gOut.stride(2),
                                argmax.segment(), ao, argmax.stride(2), gx.segment(), xo, gx.stride(2)));
            }
            if (done) {
                return;
            }
            if (f32) {
                PoolF32.maxBackward(g, gOut, plane(gOut, n, c), argmax, plane(argmax, n, c), gx, plane(gx, n, c));
            } else {
                PoolF64.maxBackward(g, gOut, plane(gOut, n, c), argmax, plane(argmax, n, c), gx, plane(gx, n, c));
            }
        });
    }

    static void avgPool2d(Parallel parallel, Tensor x, Pool2dSpec spec, Tensor out) {
        PoolGeometry g = PoolGeometry.of("avgPool2d", x, spec, out, null);
        boolean f32 = x.dtype() == DType.F32;
        boolean fast = twoByTwo(spec) && unitW(x, out);
        forPlanes(parallel, g, (n, c) -> {
            if (fast && f32) {
                Pool2x2F32.avg(g.ho(), g.wo(), x.segment(), plane(x, n, c), x.stride(2), out.segment(),
                        plane(out, n, c),
                        out.stride(2));
            } else if (fast) {
                Pool2x2F64.avg(g.ho(), g.wo(), x.segment(), plane(x, n, c), x.stride(2), out.segment(),
                        plane(out, n, c),
                        out.stride(2));
            } else if (f32) {
                PoolF32.avg(g, spec, x, plane(x, n, c), out, plane(out, n, c));
            } else {
                PoolF64.avg(g, spec, x, plane(x, n, c), out, plane(out, n, c));
            }
        });
    }

    static void avgPool2dBackward(Parallel parallel, Tensor gOut, Pool2dSpec spec, Tensor gx) {
        PoolGeometry g = PoolGeometry.backward("avgPool2dBackward", gOut, spec, gx);
        boolean f32 = gx.dtype() == DType.F32;
        boolean fast = twoByTwo(spec) && unitW(gOut, gx);
        forPlanes(parallel, g, (n, c) -> {
            if (fast && f32) {
                Pool2x2F32.avgBackward(g.h(), g.w(), g.ho(), g.wo(), gOut.segment(), plane(gOut, n, c), gOut.stride(2),
                        gx.segment(), plane(gx, n, c), gx.stride(2));
            } else if (fast) {
                Pool2x2F64.avgBackward(g.h(), g.w(), g.ho(), g.wo(), gOut.segment(), plane(gOut, n, c), gOut.stride(2),
                        gx.segment(), plane(gx, n, c), gx.stride(2));
            } else if (f32) {
                PoolF32.avgBackward(g, spec, gOut, plane(gOut, n, c), gx, plane(gx, n, c));
            } else {
                PoolF64.avgBackward(g, spec, gOut, plane(gOut, n, c), gx, plane(gx, n, c));
            }
        });
    }

    private static boolean twoByTwo(Pool2dSpec s) {
        return s.kernelH() == 2 && s.kernelW() == 2 && s.strideH() == 2 && s.strideW() == 2 && s.padH() == 0
                && s.padW() == 0;
    }

    /**
     * Whether 2×2/2 max pooling can take {@link Pool2x2PackedF32}'s path: even width, output rows
     * narrower than a vector, and rows contiguous in the input-sized plane x and the output-sized
     * planes (argmax may be null).
     */
    private static boolean packedPlanes(boolean f32, PoolGeometry g, Tensor x, Tensor out, Tensor argmax) {
        boolean fits = f32 ? Pool2x2PackedF32.fits(g.wo()) : Pool2x2PackedF64.fits(g.wo());
        return fits && g.w() == 2 * g.wo() && x.stride(2) == g.w() && out.stride(2) == g.wo()
                && (argmax == null || argmax.stride(2) == g.wo());
    }

    private static boolean unitW(Tensor a, Tensor b) {
        return a.stride(3) == 1 && b.stride(3) == 1;
    }

    /** Element offset of plane t[n, c]. */
    private static long plane(Tensor t, int n, int c) {
        return t.offset() + n * t.stride(0) + c * t.stride(1);
    }

    /** Runs body over every plane, in tasks of enough planes to be worth a hand-off. */
    private static void forPlanes(Parallel parallel, PoolGeometry g, PlaneBody body) {
        int planes = g.planes();
        long perPlane = Math.max(1, (long) g.h() * g.w());
        int chunk = (int) Math.max(1, Math.min(planes, TASK_MIN / perPlane));
        int tasks = (planes + chunk - 1) / chunk;
        parallel.forEach(tasks, t -> {
            for (int i = t * chunk, end = Math.min(planes, i + chunk); i < end; i++) {
                body.run(i / g.c(), i % g.c());
            }
        });
    }
}
