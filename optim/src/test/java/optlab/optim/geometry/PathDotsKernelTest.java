package optlab.optim.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vectorized pass against its scalar oracle on lengths 0, 1, lanes − 1, lanes + 1, across a chunk
 * boundary and a large prime (past the parallel threshold), F32 and F64, on views at different odd
 * offsets into larger blocks and on ranges starting inside them. The pom runs this class again at each
 * narrower forced vector width.
 */
class PathDotsKernelTest {
    static Stream<Arguments> cases() {
        int lanes = PathDotsKernel.lanes();
        long bigPrime = BigInteger.valueOf(PathDotsKernel.PARALLEL_MIN + 5).nextProbablePrime().longValue();
        long[] lengths = {0, 1, lanes - 1, lanes + 1, 1009, PathDotsKernel.CHUNK + 3, bigPrime};
        Stream.Builder<Arguments> b = Stream.builder();
        for (DType t : DType.values()) {
            for (long n : lengths) {
                b.add(Arguments.of(t, n));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void matchesScalarReference(DType dtype, long n) {
        int len = Math.toIntExact(n);
        try (Scope scope = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(n * 31 + dtype.ordinal());
            // Views at distinct odd offsets, so no two inputs share an alignment; w* and w_{t+1} near w.
            Tensor w = view(scope.randn(dtype, rng, len + 3), 3, len);
            Tensor g = view(scope.randn(dtype, rng, len + 5), 5, len);
            Tensor wStar = view(scope.randn(dtype, rng, len + 1), 1, len);
            Tensor next = view(scope.randn(dtype, rng, len + 7), 7, len);
            check(w, g, wStar, next, 0, n);
            if (n > 2) {
                check(w, g, wStar, next, 1, n - 2); // a range starting inside the views
            }
        }
    }

    static Tensor view(Tensor t, int off, int len) {
        return t.slice(0, off, off + len);
    }

    static void check(Tensor w, Tensor g, Tensor wStar, Tensor next, long from, long n) {
        PathDots fast = PathDotsKernel.dots(optlab.optim.internal.Team.CALLER, w, g, wStar, next, from, n);
        PathDots ref = PathDotsScalar.dots(w, g, wStar, next, from, n);
        double[] f = components(fast), r = components(ref);
        double[] scale = absSums(w, g, wStar, next, from, n);
        assertEquals(n, fast.count());
        for (int k = 0; k < f.length; k++) {
            // Two summation orders of n products each differ by at most 2nε·Σ|terms| (ε = 2⁻⁵³).
            double tol = 2 * Math.max(n, 1) * 0x1p-53 * scale[k];
            assertEquals(r[k], f[k], tol, "dot " + k + " of n=" + n);
        }
        // Deterministic: the same call gives the same bits (also when the chunks run in parallel).
        assertEquals(fast, PathDotsKernel.dots(optlab.optim.internal.Team.CALLER, w, g, wStar, next, from, n));
        try (optlab.tensor.backend.Backend three = optlab.tensor.backend.Backends.cpu(3)) {
            assertEquals(fast, PathDotsKernel.dots(optlab.optim.internal.Team.of(three), w, g, wStar, next, from, n),
                    "the same bits on a team of three");
        }
    }

    /** The eight dots in record order. */
    static double[] components(PathDots d) {
        return new double[] {d.gDelta(), d.gSq(), d.deltaSq(), d.wDelta(), d.gW(), d.wSq(), d.uDelta(), d.uSq()};
    }

    /** Σ|term| of each dot, for the rounding bound. */
    static double[] absSums(Tensor w, Tensor g, Tensor wStar, Tensor next, long from, long n) {
        double[] s = new double[8];
        for (long i = from; i < from + n; i++) {
            double wi = w.getFlat(i), gi = g.getFlat(i), di = wi - wStar.getFlat(i), ui = next.getFlat(i) - wi;
            double[] t = {gi * di, gi * gi, di * di, wi * di, gi * wi, wi * wi, ui * di, ui * ui};
            for (int k = 0; k < 8; k++) {
                s[k] += Math.abs(t[k]);
            }
        }
        return s;
    }
}
