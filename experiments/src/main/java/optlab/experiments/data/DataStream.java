package optlab.experiments.data;

import optlab.tensor.Tensor;

/**
 * An endless source of fresh samples for online training: every call draws new ones, so no sample repeats and
 * there are no epochs. Streams are deterministic functions of their seed.
 */
public interface DataStream {
    /** Shape of one sample. */
    int[] sampleShape();

    /** Shape of one target: [] for a class index, [T] for regression. */
    int[] targetShape();

    /** Number of classes, or 0 for regression. */
    int numClasses();

    /** Fills contiguous {@code x} [B, sample...] and {@code y} [B, target...] (one dtype) with the next B samples. */
    void next(Tensor x, Tensor y);
}
