package optlab.models.init;

import java.util.SplittableRandom;
import optlab.tensor.Tensor;

/** Fills a tensor with initial values drawn from a seeded generator (same seed, same values). */
@FunctionalInterface
public interface Initializer {
    void fill(Tensor t, SplittableRandom rng);
}
