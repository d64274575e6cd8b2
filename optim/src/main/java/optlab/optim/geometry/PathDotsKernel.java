package optlab.optim.geometry;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import optlab.optim.internal.Team;
import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.simd.Simd;

/**
 * The one pass behind {@link PathGeometry}: reads w, g, w* and w_{t+1} once each and accumulates the eight
 * dots of {@link PathDots} per vector lane in double. {@link PathDotsScalar} is its oracle.
 *
 * <p>F32 inputs are loaded half a vector of floats at a time and widened to a full vector of doubles, so
 * both dtypes share one loop over double lanes (δ = w − w* and u = w_{t+1} − w_t are formed in double,
 * exactly for F32). The width follows {@code -Doptlab.vector} through {@link Simd#BITS}, but at least
 * 128 bits (a 64-bit double vector would need 32-bit float vectors, which do not exist).
 *
 * <p>Determinism: the block is cut into fixed chunks of {@link #CHUNK} elements whatever the thread count;
 * within a chunk each lane sums its elements in order, the lanes are added in lane order, then the
 * scalar tail; chunks are added in chunk order. The result depends on the vector width, not on threads.
 *
 * <p>Cost: per element 8 FMAs and 2 subtractions in double against 4 loads (16 bytes in F32, 32 in F64)
 * and no stores, so on one core the F32 pass is about balanced between arithmetic and bandwidth on
 * 256-bit machines; blocks of at least {@link #PARALLEL_MIN} elements are spread over cores, where it
 * is bound by memory bandwidth (one read of each input, nothing written).
 */
final class PathDotsKernel {
    static final int BITS = Math.max(Simd.BITS, 128);
    static final long CHUNK = 1 << 15;
    static final long PARALLEL_MIN = 1 << 17;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS / 2));
    private static final int L = D.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private PathDotsKernel() {
    }

    /** Vector lanes of the pass (doubles per vector). */
    static int lanes() {
        return L;
    }

    /**
     * The dots over elements [from, from + n) of the contiguous views w, g, wStar and next (same dtype;
     * bounds checked by the caller). The update terms are ⟨next − w, δ⟩ and ‖next − w‖².
     */
    static PathDots dots(Team team, Tensor w, Tensor g, Tensor wStar, Tensor next, long from, long n) {
        boolean f32 = w.dtype() == DType.F32;
        int chunks = (int) ((n + CHUNK - 1) / CHUNK);
        double[][] partial = new double[chunks][];
        (n >= PARALLEL_MIN ? team : Team.CALLER).forEach(chunks, c -> {
            long start = from + c * CHUNK;
            partial[c] = chunk(f32, (int) Math.min(CHUNK, n - c * CHUNK),
                    w.segment(), w.offset() + start, g.segment(), g.offset() + start,
                    wStar.segment(), wStar.offset() + start, next.segment(), next.offset() + start);
        });
        double[] t = new double[8];
        for (double[] p : partial) {
            for (int k = 0; k < 8; k++) {
                t[k] += p[k];
            }
        }
        return new PathDots(n, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
    }

    /** One chunk; offsets in elements. Returns {⟨g,δ⟩, ‖g‖², ‖δ‖², ⟨w,δ⟩, ⟨g,w⟩, ‖w‖², ⟨u,δ⟩, ‖u‖²}. */
    private static double[] chunk(boolean f32, int len, MemorySegment ws, long wo, MemorySegment gs, long go,
            MemorySegment ss, long so, MemorySegment xs, long xo) {
        DoubleVector gd = DoubleVector.zero(D), gg = gd, dd = gd, wd = gd, gw = gd, ww = gd, ud = gd, uu = gd;
        int bound = len / L * L;
        for (int i = 0; i < bound; i += L) {
            DoubleVector w = load(f32, ws, wo + i), g = load(f32, gs, go + i);
            DoubleVector s = load(f32, ss, so + i), x = load(f32, xs, xo + i);
            DoubleVector d = w.sub(s), u = x.sub(w);
            gd = g.fma(d, gd);
            gg = g.fma(g, gg);
            dd = d.fma(d, dd);
            wd = w.fma(d, wd);
            gw = g.fma(w, gw);
            ww = w.fma(w, ww);
            ud = u.fma(d, ud);
            uu = u.fma(u, uu);
        }
        double[] t = {sum(gd), sum(gg), sum(dd), sum(wd), sum(gw), sum(ww), sum(ud), sum(uu)};
        DType dtype = f32 ? DType.F32 : DType.F64;
        for (int i = bound; i < len; i++) {
            double w = dtype.get(ws, wo + i), g = dtype.get(gs, go + i);
            double d = w - dtype.get(ss, so + i), u = dtype.get(xs, xo + i) - w;
            t[0] += g * d;
            t[1] += g * g;
            t[2] += d * d;
            t[3] += w * d;
            t[4] += g * w;
            t[5] += w * w;
            t[6] += u * d;
            t[7] += u * u;
        }
        return t;
    }

    /** L elements from element index i, widened to double. */
    private static DoubleVector load(boolean f32, MemorySegment s, long i) {
        return f32
                ? (DoubleVector) FloatVector.fromMemorySegment(F, s, i * 4, NATIVE).convertShape(VectorOperators.F2D, D, 0)
                : DoubleVector.fromMemorySegment(D, s, i * 8, NATIVE);
    }

    /** Lanes added in lane order (reduceLanes leaves the order unspecified). */
    private static double sum(DoubleVector v) {
        double s = 0;
        for (int k = 0; k < L; k++) {
            s += v.lane(k);
        }
        return s;
    }
}
