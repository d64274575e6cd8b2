package optlab.experiments.bench;

import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * Operands of one {@link GemmShape} in its real layout: a transposed operand is stored transposed
 * and handed over as an {@link Tensor#mT()} view, exactly as a layer's backward pass would.
 * Entries are uniform in [-1, 1) from a fixed seed, so every fork times the same numbers.
 */
record GemmOperands(Tensor a, Tensor b, Tensor c) {

    static GemmOperands allocate(Scope scope, GemmShape s, DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = s.transA() ? scope.uniform(dtype, rng, -1, 1, s.k(), s.m()).mT()
                : scope.uniform(dtype, rng, -1, 1, s.m(), s.k());
        Tensor b = s.transB() ? scope.uniform(dtype, rng, -1, 1, s.n(), s.k()).mT()
                : scope.uniform(dtype, rng, -1, 1, s.k(), s.n());
        return new GemmOperands(a, b, scope.zeros(dtype, s.m(), s.n()));
    }
}
