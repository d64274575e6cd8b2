package optlab.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Shared test helpers: random tensors, awkward sizes, non-contiguous copies and tolerant comparison. */
public final class TestTensors {
    /** Sizes that straddle every vector width: 1, lanes±1 for 128/256/512-bit F32 and F64, primes. */
    public static final int[] AWKWARD = {1, 2, 3, 5, 7, 9, 15, 17, 31, 33, 63, 65, 127};

    private TestTensors() {
    }

    public static Tensor random(Scope scope, DType dtype, long seed, int... shape) {
        return scope.uniform(dtype, new SplittableRandom(seed), -1, 1, shape);
    }

    /**
     * The same values as {@code t} in a non-contiguous layout: stored with the last two axes swapped
     * and padded, then viewed back, so strides and offset differ from the contiguous layout.
     */
    public static Tensor strided(Scope scope, Tensor t) {
        int r = t.rank();
        int[] s = t.shape();
        if (r == 0) {
            return t;
        }
        int[] big = s.clone();
        big[r - 1] = s[r - 1] * 2 + 1; // every other element, after one element of offset
        Tensor store = scope.full(t.dtype(), Double.NaN, big);
        Tensor view = store.slice(r - 1, 1, big[r - 1], 2);
        view.copyFrom(t);
        return view;
    }

    /** Element-wise |a - b| <= atol + rtol·|b|, reporting the first offending index and values. */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail("shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        long n = expected.numel();
        for (long i = 0; i < n; i++) {
            double e = expected.getFlat(i), a = actual.getFlat(i);
            boolean bothNaN = Double.isNaN(e) && Double.isNaN(a);
            boolean sameInf = Double.isInfinite(e) && e == a;
            if (!bothNaN && !sameInf && !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail("element " + i + " of " + Arrays.toString(expected.shape()) + ": expected " + e + ", got " + a
                        + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    /** Tolerance for results computed in {@code dtype} and compared with a double-accumulating oracle. */
    public static double rtol(DType dtype) {
        return dtype == DType.F32 ? 2e-5 : 1e-12;
    }
}
