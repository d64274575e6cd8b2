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
    static final Backend REFERENCE = Backends.reference();
    static final Backend CPU = new CpuBackend(2);

    /** Sizes off every vector width: 1, 3, 17, 33 and the prime 127. */
    static final int[] SIZES = {1, 3, 17, 33, 127};

    private Fixtures() {
    }

    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of(Named.of("reference", REFERENCE)), Arguments.of(Named.of("cpu", CPU)));
    }

    /** Every backend with every awkward size. */
    static Stream<Arguments> backendsAndSizes() {
        return backends().flatMap(b -> java.util.Arrays.stream(SIZES).mapToObj(n -> Arguments.of(b.get()[0], n)));
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
