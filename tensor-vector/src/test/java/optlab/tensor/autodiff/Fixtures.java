package optlab.tensor.autodiff;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import optlab.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/** Shared gradient-test inputs: both backends, the awkward sizes, random F64 tensors and their strided twins. */
final class Fixtures {
    /** The scalar oracle, for tests that need just one backend (closing it is a no-op). */
    static final Backend REFERENCE = Backends.reference();

    /** Sizes off every vector width: 1, 3, 17, 33 and the prime 127. */
    static final int[] SIZES = {1, 3, 17, 33, 127};

    private Fixtures() {
    }

    /**
     * The reference and the two-thread CPU backend, fresh per test invocation: JUnit closes
     * AutoCloseable arguments after each one.
     */
    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of(reference()), Arguments.of(cpu()));
    }

    /** Every backend with every awkward size. */
    static Stream<Arguments> backendsAndSizes() {
        return backendsWith(SIZES);
    }

    /** Every backend with 1, 3 and 17, for ops whose finite differences cost a convolution each. */
    static Stream<Arguments> backendsAndSmallSizes() {
        return backendsWith(1, 3, 17);
    }

    private static Stream<Arguments> backendsWith(int... sizes) {
        return java.util.Arrays.stream(sizes).boxed()
                .flatMap(n -> Stream.of(Arguments.of(reference(), n), Arguments.of(cpu(), n)));
    }

    private static Named<Backend> reference() {
        return Named.of("reference", Backends.reference());
    }

    private static Named<Backend> cpu() {
        return Named.of("cpu", new CpuBackend(2));
    }

    /** Uniform samples in [lo, hi) in F64. */
    static Tensor between(Scope s, long seed, double lo, double hi, int... shape) {
        return s.uniform(DType.F64, new SplittableRandom(seed), lo, hi, shape);
    }

    static Tensor rand(Scope s, long seed, int... shape) {
        return between(s, seed, -1, 1, shape);
    }

    /** The same values in a non-contiguous layout with an offset. */
    static Tensor strided(Scope s, Tensor t) {
        return TestTensors.strided(s, t);
    }

    /** Random 0/1 values in F64, e.g. a where-mask. */
    static Tensor mask(Scope s, long seed, int... shape) {
        Tensor m = s.empty(DType.F64, shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < m.numel(); i++) {
            m.setFlat(i, r.nextBoolean() ? 1 : 0);
        }
        return m;
    }

    static GradCheck.Result check(Backend b, GradCheck.Fn f, Tensor... inputs) {
        return GradCheck.DEFAULT.verify(b, f, inputs);
    }
}
