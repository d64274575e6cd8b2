package optlab.experiments.data;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * A finite labelled sample set held in two off-heap tensors of one dtype: {@code features} [N, ...] (images are
 * [N, C, H, W]) and {@code targets}, either [N] class indices stored as numbers (as the cross-entropy kernel
 * takes them; {@code numClasses > 0}) or [N, T] regression targets ({@code numClasses == 0}). Both are
 * contiguous. A dataset does not own its memory: the {@link optlab.tensor.Scope} that made the tensors does.
 */
public record Dataset(String name, Tensor features, Tensor targets, int numClasses) {
    public Dataset {
        if (features.rank() < 1 || !features.isContiguous() || !targets.isContiguous()) {
            throw new IllegalArgumentException("dataset " + name + ": features and targets must be contiguous with a"
                    + " leading sample axis, got " + features + " and " + targets);
        }
        if (targets.dtype() != features.dtype()) {
            throw new IllegalArgumentException("dataset " + name + ": features " + features + " and targets " + targets
                    + " must share a dtype");
        }
        boolean classes = numClasses > 0;
        if (targets.rank() != (classes ? 1 : 2) || targets.dim(0) != features.dim(0) || numClasses < 0) {
            throw new IllegalArgumentException("dataset " + name + ": targets " + Arrays.toString(targets.shape())
                    + " do not fit features " + Arrays.toString(features.shape()) + " with numClasses " + numClasses
                    + " (expected [N] class indices, or [N, T] regression targets with numClasses 0)");
        }
    }

    /** Number of samples N. */
    public int size() {
        return features.dim(0);
    }

    /** Shape of one sample, e.g. [1, 28, 28]. */
    public int[] sampleShape() {
        return Arrays.copyOfRange(features.shape(), 1, features.rank());
    }

    /** Elements per sample (784 for a 28×28 image). */
    public long sampleNumel() {
        return product(sampleShape());
    }

    /** Shape of one target: [] for a class index, [T] for regression. */
    public int[] targetShape() {
        return Arrays.copyOfRange(targets.shape(), 1, targets.rank());
    }

    public boolean isClassification() {
        return numClasses > 0;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) in file order, as views sharing this memory. */
    public Dataset rows(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("dataset " + name + ": rows [" + from + ", " + to + ") out of range for "
                    + size() + " samples");
        }
        return new Dataset(name + "[" + from + ":" + to + "]", features.slice(0, from, to), targets.slice(0, from, to),
                numClasses);
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Dataset(" + name + ", features " + features + ", targets " + targets
                + (isClassification() ? ", " + numClasses + " classes)" : ", regression)");
    }
}
